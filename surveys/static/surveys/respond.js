// The respondent page's helpers. The page works without this script: every button is a plain
// form submit and the server checks every answer; this only makes a phone nicer to use.
// - saves the answers of the page as they are given, so leaving loses nothing;
// - text typed under "other" ticks "other";
// - marks unanswered required questions before sending, and scrolls to the first error;
// - one question per page: a tap on a scale or a single choice moves on.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;

  // Autosave ----------------------------------------------------------------------------
  var timer = null;
  function save() {
    timer = null;
    if (!window.fetch || !window.FormData) return;
    var data = new FormData(form);
    data.set("action", "autosave");
    // A chosen file is sent with the page, not with every autosave.
    var files = form.querySelectorAll('input[type="file"]');
    for (var f = 0; f < files.length; f++) data.delete(files[f].name);
    fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin" })
      .catch(function () { /* offline: the next page submit saves everything */ });
  }
  function later() { clearTimeout(timer); timer = setTimeout(save, 600); }
  form.addEventListener("change", later);
  form.addEventListener("input", later);
  window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(); } });

  // "Other" -----------------------------------------------------------------------------
  form.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.name || box.name.slice(-6) !== "_other" || !box.value.trim()) return;
    var other = form.querySelector('input[name="' + box.name.slice(0, -6) + '"][value="__other__"]');
    if (other && !other.checked) { other.checked = true; clearError(other.closest("fieldset")); }
  });
  form.addEventListener("change", function (event) {
    var input = event.target;
    // A single choice moved away from "other": its text no longer means anything.
    if (input.type === "radio" && input.value !== "__other__") {
      var text = form.querySelector('input[name="' + input.name + '_other"]');
      if (text) text.value = "";
    }
    clearError(input.closest("fieldset"));
  });

  // Checks before sending (the server checks again and stays the authority) -------------
  function answered(fieldset) {
    if (fieldset.hasAttribute("data-has-file")) return true;  // uploaded earlier
    var inputs = fieldset.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (!el.name || el.name.slice(-6) === "_other") continue;
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) return true; }
      else if (el.type !== "hidden" && el.value.trim()) return true;
    }
    return false;
  }
  function otherMissing(fieldset) {
    var other = fieldset.querySelector('input[value="__other__"]:checked');
    if (!other) return false;
    var text = fieldset.querySelector('input[name="' + other.name + '_other"]');
    return !!text && !text.value.trim();
  }
  function clearError(fieldset) {
    if (!fieldset) return;
    var shown = fieldset.querySelector(".error");
    if (shown) shown.parentNode.removeChild(shown);
    fieldset.classList.remove("invalid");
    fieldset.removeAttribute("aria-invalid");
  }
  function markError(fieldset, message) {
    clearError(fieldset);
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    fieldset.appendChild(p);
    fieldset.classList.add("invalid");
    fieldset.setAttribute("aria-invalid", "true");
  }
  // Who asked their phone for less motion gets the question at once, not glided to.
  var reduceMotion = !!window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function showFirst(fieldset) {
    fieldset.scrollIntoView({ behavior: reduceMotion ? "auto" : "smooth", block: "center" });
    var input = fieldset.querySelector("input, textarea, select");
    if (input) input.focus({ preventScroll: true });
  }
  var sending = false;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var action = button ? button.value : "next";
    if (action === "back") return;
    var first = null;
    var fieldsets = form.querySelectorAll("fieldset.question");
    for (var i = 0; i < fieldsets.length; i++) {
      var fieldset = fieldsets[i];
      var message = "";
      if (fieldset.hasAttribute("data-required") && !answered(fieldset)) {
        var consent = fieldset.hasAttribute("data-consent") || fieldset.id === "q-_consent";
        message = form.getAttribute(consent ? "data-msg-consent" : "data-msg-required");
      } else if (otherMissing(fieldset)) {
        message = form.getAttribute("data-msg-other");
      }
      if (message) { markError(fieldset, message); first = first || fieldset; }
    }
    if (first) { event.preventDefault(); showFirst(first); return; }
    if (sending) { event.preventDefault(); return; }  // a double tap sends once
    sending = true;
    clearTimeout(timer);
    timer = null;
  });
  window.addEventListener("pageshow", function () { sending = false; });
  // Errors the server found: bring the first into view.
  var serverError = form.querySelector("fieldset.invalid") || document.querySelector(".error");
  if (serverError) showFirst(serverError.closest("fieldset") || serverError);

  // Slider: the range moves the number (which alone is sent and shows the value) ----------
  var ranges = form.querySelectorAll("input[data-slider-for]");
  for (var r = 0; r < ranges.length; r++) (function (range) {
    var number = document.getElementById(range.getAttribute("data-slider-for"));
    range.hidden = false;
    // Until a value is given the thumb is greyed: its middle place is no answer.
    if (number.value === "") range.classList.add("unset");
    range.addEventListener("input", function () {
      range.classList.remove("unset");
      number.value = range.value;
      number.dispatchEvent(new Event("input", { bubbles: true }));
    });
    number.addEventListener("input", function () {
      if (number.value !== "") { range.value = number.value; range.classList.remove("unset"); }
    });
  })(ranges[r]);

  // Region: the next list is read when a level is chosen ----------------------------------
  form.addEventListener("change", function (event) {
    var select = event.target;
    var box = select.closest && select.closest("[data-region]");
    if (!box || !window.fetch) return;
    var level = +select.getAttribute("data-level");
    var below = box.querySelectorAll("select");
    for (var i = level; i < below.length; i++) {
      below[i].length = 1; below[i].disabled = true; below[i].parentNode.hidden = false;
    }
    var next = below[level];
    if (!next || !select.value) return;
    fetch(box.getAttribute("data-region") + select.value + "/").then(function (reply) {
      return reply.json();
    }).then(function (rows) {
      if (!rows.length) {  // the divisions end here (e.g. 东莞市 has no districts)
        for (var j = level; j < below.length; j++) below[j].parentNode.hidden = true;
        return;
      }
      rows.forEach(function (row) { next.add(new Option(row.n, row.v)); });
      next.disabled = false;
    }).catch(function () {});
  });

  // One question per page: a tap moves on -------------------------------------------------
  if (form.hasAttribute("data-auto-advance")) {
    var next = form.querySelector('button[value="next"]');
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (!next || input.type !== "radio" || input.value === "__other__") return;
      if (input.closest(".matrix-row")) return;  // a matrix has more rows to answer
      setTimeout(function () {
        if (form.requestSubmit) form.requestSubmit(next); else next.click();
      }, 250);
    });
  }
})();
