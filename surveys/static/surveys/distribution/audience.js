/* The distribution builder: as the audience, channel or email text changes, fetch the
   server-rendered size, sample names and email preview (POST, CSRF token from the form) and
   show it beside the form. Without this script the "count" button does the same by a reload. */
(function () {
  "use strict";
  var form = document.getElementById("distribution-form");
  var panel = document.getElementById("audience-preview");
  if (!form || !panel || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var sequence = 0;

  function refresh() {
    var mine = ++sequence;
    var data = new FormData(form);
    data.set("action", "count");
    panel.classList.add("loading");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (reply) {
      return reply.ok ? reply.text() : null;
    }).then(function (html) {
      if (mine !== sequence) { return; }  // a newer request is on its way
      panel.classList.remove("loading");
      if (html !== null) { panel.innerHTML = html; }
    }).catch(function () {
      if (mine === sequence) { panel.classList.remove("loading"); }
    });
  }

  function later() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(refresh, 350);
  }

  function toggleEmail() {
    var channel = form.querySelector("[name=channel]");
    var email = document.getElementById("email-fields");
    if (channel && email) { email.hidden = channel.value !== "email"; }
  }

  form.addEventListener("input", later);
  form.addEventListener("change", function () { toggleEmail(); later(); });
  toggleEmail();
  if (form.querySelector("input[type=checkbox]:checked, [name=tags][value]:not([value=''])")) {
    refresh();
  }
}());
