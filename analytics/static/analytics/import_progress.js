// Polls an import job's progress and updates the page; reloads when the job is done.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.done || !window.fetch) return;
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        box.querySelector("progress").value = data.progress;
        ["status_label", "rows_total", "rows_ok", "rows_failed"].forEach(function (name) {
          box.querySelector('[data-field="' + name + '"]').textContent = data[name];
        });
        if (data.done) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
