// Saves the answers of the current page as they are given, so leaving loses nothing.
// The page works without this script: every button is a plain form submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) return;
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.set("action", "autosave");
    fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin" })
      .catch(function () { /* offline: the next page submit saves everything */ });
  }
  function later() { clearTimeout(timer); timer = setTimeout(save, 600); }
  form.addEventListener("change", later);
  form.addEventListener("input", later);
  window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(); } });
})();
