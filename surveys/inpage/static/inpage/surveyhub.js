/* SurveyHub in-page survey. Include on your site:
 *   <script src="https://<surveyhub>/embed/v1/surveyhub.js" data-key="<site key>" async></script>
 * then call SurveyHub.track("checkout") and SurveyHub.identify({userId: "C1001"}).
 * Talks only to the origin it was loaded from; draws inside a shadow root. */
(function (w, d) {
  "use strict";
  var me = d.currentScript || d.querySelector("script[data-key][src*='/embed/v1/surveyhub.js']");
  if (!me || (w.SurveyHub && w.SurveyHub.loaded)) return;
  var base = new URL(me.src).origin;
  var key = me.getAttribute("data-key") || "";
  var lang = (me.getAttribute("data-lang") || d.documentElement.lang || navigator.language || "zh").toLowerCase().indexOf("en") === 0 ? "en" : "zh-hans";
  var queued = (w.SurveyHub && w.SurveyHub.q) || [];
  var attrs = {};
  var events = [];
  var cfg = null;
  var shown = false;

  function store(name, value) {
    try {
      if (value === undefined) return w.localStorage.getItem("surveyhub." + name);
      w.localStorage.setItem("surveyhub." + name, value);
    } catch (e) { /* storage blocked: the server still keeps the limit */ }
    return null;
  }
  function hex(n) {
    var a = new Uint8Array(n), s = "";
    (w.crypto || w.msCrypto).getRandomValues(a);
    for (var i = 0; i < n; i++) s += (a[i] + 256).toString(16).slice(1);
    return s;
  }
  function uuid() {
    var h = hex(16);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-4" + h.slice(13, 16) + "-" +
      "89ab"[parseInt(h[16], 16) & 3] + h.slice(17, 20) + "-" + h.slice(20, 32);
  }
  var device = store("device");
  if (!device || !/^[A-Za-z0-9._:-]{8,64}$/.test(device)) { device = hex(16); store("device", device); }
  var views = (parseInt(store("views." + key), 10) || 0) + 1;
  store("views." + key, String(views));

  function later() { return Date.now() < (parseInt(store("until." + key), 10) || 0); }
  function rest() { store("until." + key, String(Date.now() + cfg.days * 864e5)); }
  function glob(p, s) {
    if (!p) return true;
    var re = "^" + p.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*") + "$";
    return new RegExp(re).test(s);
  }
  function targeted() {
    if (!glob(cfg.path, w.location.pathname)) return false;
    for (var i = 0; i < cfg.rules.length; i++) {
      var v = attrs[cfg.rules[i][0]];
      if (v === undefined || v === null || v === "") return false;
      if (cfg.rules[i][1] !== "*" && String(v) !== cfg.rules[i][1]) return false;
    }
    return true;
  }
  // The checks above only spare the server a question: it decides (path, attributes and the
  // re-contact limit), asked once per page state it has not already said no to.
  var asking = false, refusedFor = "";
  function ask() {
    var q = "path=" + encodeURIComponent(w.location.pathname) + "&attrs=" +
      encodeURIComponent(JSON.stringify(attrs)) + "&device=" + device;
    if (asking || q === refusedFor) return;
    asking = true;
    w.fetch(base + "/embed/v1/eligible/" + encodeURIComponent(key) + "/?" + q, { mode: "cors", credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (a) { asking = false; if (a && a.show) { if (!shown) show(); } else refusedFor = q; })
      .catch(function () { asking = false; });
  }
  function consider() {
    if (!cfg || shown || later() || !targeted()) return;
    if (cfg.trigger === "page_views" ? views >= cfg.views : events.indexOf(cfg.event) >= 0) ask();
  }
  function send(url, body, json) {
    var h = json ? { "Content-Type": "application/json", "X-Device-Id": device } : { "Content-Type": "text/plain" };
    h["Accept-Language"] = lang;
    return w.fetch(base + url, { method: "POST", mode: "cors", credentials: "omit", headers: h, body: JSON.stringify(body) });
  }
  function el(tag, cls, text) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  var CSS = ":host{all:initial}*{box-sizing:border-box}" +
    ".box{position:fixed;z-index:2147483000;right:16px;bottom:16px;width:400px;max-width:calc(100vw - 12px);" +
    "background:#fff;color:#1f2328;border:1px solid #d0d7de;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.18);" +
    "padding:14px 10px 12px;font:15px/1.5 system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif,'Apple Color Emoji','Noto Color Emoji','Segoe UI Emoji'}" +
    "@media (max-width:440px){.box{right:6px;left:6px;bottom:6px;width:auto}}" +
    ".q{margin:0 30px 10px 4px;font-weight:600}" +
    ".x{position:absolute;top:6px;right:6px;width:32px;height:32px;border:0;background:none;font-size:22px;line-height:1;color:#57606a;cursor:pointer;border-radius:6px}" +
    ".s{display:grid;gap:1px;margin:0}" +
    ".s button{min-width:24px;min-height:40px;padding:0;border:1px solid #d0d7de;background:#f6f8fa;color:inherit;font:inherit;font-size:14px;cursor:pointer;border-radius:6px}" +
    ".s button[aria-pressed=true]{background:var(--c);border-color:var(--c);color:#fff}" +
    ".e{display:flex;justify-content:space-between;gap:8px;font-size:12px;color:#57606a;margin:4px 2px 0}" +
    "label{display:block;margin:10px 2px 4px;font-size:14px}" +
    "textarea{width:100%;min-height:64px;padding:6px 8px;border:1px solid #d0d7de;border-radius:6px;font:inherit;resize:vertical}" +
    ".c{display:flex;gap:6px;align-items:flex-start;font-size:13px}.c input{margin-top:4px}" +
    ".go{margin-top:10px;width:100%;min-height:40px;border:0;border-radius:6px;background:var(--c);color:#fff;font:inherit;font-weight:600;cursor:pointer}" +
    ".err{color:#cf222e;font-size:13px;margin:6px 2px 0}.err:empty{display:none}" +
    ".ok{margin:8px 30px 8px 4px;font-weight:600}" +
    "button:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible{outline:2px solid var(--c);outline-offset:2px}" +
    "a{color:var(--c)}";

  function show() {
    shown = true;
    var t = cfg.t, q = cfg.q, score = null, sid = uuid();
    var host = el("div");
    host.setAttribute("data-surveyhub", "");
    var root = host.attachShadow({ mode: "open" });
    var style = el("style");
    style.textContent = CSS;
    var box = el("div", "box");
    box.style.setProperty("--c", cfg.colour);
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-labelledby", "shq");
    box.setAttribute("lang", cfg.lang === "en" ? "en" : "zh-Hans");
    var title = el("p", "q", q.text);
    title.id = "shq";
    var close = el("button", "x", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", t.close);
    var scale = el("div", "s");
    scale.setAttribute("role", "group");
    scale.setAttribute("aria-labelledby", "shq");
    scale.style.gridTemplateColumns = "repeat(" + (q.high - q.low + 1) + ",1fr)";
    var ends = el("div", "e");
    ends.appendChild(el("span", "", q.ends[0]));
    ends.appendChild(el("span", "", q.ends[1]));
    var more = el("div");
    more.hidden = true;
    var err = el("p", "err");
    err.setAttribute("role", "alert");
    var text = null, agree = null;
    if (cfg.f) {
      var label = el("label", "", cfg.f.text);
      label.htmlFor = "sht";
      text = el("textarea");
      text.id = "sht";
      text.maxLength = cfg.f.max;
      more.appendChild(label);
      more.appendChild(text);
    }
    if (cfg.consent) {
      var c = el("label", "c");
      agree = el("input");
      agree.type = "checkbox";
      var words = el("span", "", cfg.consent.text + " ");
      var link = el("a", "", cfg.consent.link);
      link.href = base + cfg.consent.url;
      link.target = "_blank";
      link.rel = "noopener";
      words.appendChild(link);
      c.appendChild(agree);
      c.appendChild(words);
      more.appendChild(c);
    }
    var go = el("button", "go", t.send);
    go.type = "button";
    more.appendChild(go);
    for (var n = q.low; n <= q.high; n++) {
      var b = el("button", "", String(n));
      b.type = "button";
      b.value = String(n);
      b.setAttribute("aria-pressed", "false");
      b.setAttribute("aria-label", t.score.replace("{n}", n));
      scale.appendChild(b);
    }
    function end() { host.remove(); }
    function submit() {
      if (agree && !agree.checked) { err.textContent = t.consent; agree.focus(); return; }
      var answers = {};
      answers[q.key] = score;
      if (text && text.value.trim()) answers[cfg.f.key] = text.value.trim();
      go.disabled = true;
      err.textContent = "";
      send(cfg.submit, {
        answers: answers, channel: "in_page", device_id: device, submission_id: sid,
        language: cfg.lang, consent: !!(agree && agree.checked)
      }, true).then(function (r) {
        if (r.ok || r.status === 409) {
          rest();
          box.textContent = "";
          var ok = el("p", "ok", t.thanks);
          ok.setAttribute("role", "status");
          box.appendChild(close);
          box.appendChild(ok);
          close.focus();
          setTimeout(end, 4000);
          return null;
        }
        return r.json().then(function (j) { throw new Error(j.detail || t.failed); });
      }).catch(function (e) {
        go.disabled = false;
        err.textContent = (e && e.message && e.message.indexOf("fetch") < 0) ? e.message : t.failed;
      });
    }
    scale.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b) return;
      score = parseInt(b.value, 10);
      var all = scale.querySelectorAll("button");
      for (var i = 0; i < all.length; i++) all[i].setAttribute("aria-pressed", String(all[i] === b));
      if (!cfg.f && !cfg.consent) { submit(); return; }
      more.hidden = false;
      (text || agree || go).focus();
    });
    go.addEventListener("click", submit);
    close.addEventListener("click", function () {
      if (!box.querySelector(".ok")) {
        rest();
        send(cfg.dismiss, { device_id: device }, false).catch(function () {});
      }
      end();
    });
    box.addEventListener("keydown", function (e) { if (e.key === "Escape") close.click(); });
    box.appendChild(close);
    box.appendChild(title);
    box.appendChild(scale);
    box.appendChild(ends);
    box.appendChild(more);
    box.appendChild(err);
    root.appendChild(style);
    root.appendChild(box);
    d.body.appendChild(host);
  }

  var api = {
    loaded: true,
    track: function (name) { events.push(String(name)); consider(); },
    identify: function (a) { for (var k in a) if (Object.prototype.hasOwnProperty.call(a, k)) attrs[k] = a[k]; consider(); }
  };
  w.SurveyHub = api;
  for (var i = 0; i < queued.length; i++) api[queued[i][0]].apply(api, [].slice.call(queued[i], 1));
  if (!key || later()) return;
  w.fetch(base + "/embed/v1/config/" + encodeURIComponent(key) + "/?lang=" + lang + "&device=" + device +
    "&path=" + encodeURIComponent(w.location.pathname),
    { mode: "cors", credentials: "omit" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (c) { if (c && c.show) { cfg = c; consider(); } })
    .catch(function () {});
})(window, document);
