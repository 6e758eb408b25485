/* The alert rule form: show only the fields the chosen kind reads (data-kinds on each
   field's box); before a kind is chosen, only the common ones. Hidden fields still post;
   the server ignores those of other kinds. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-kind-form]");
  if (!form) { return; }
  var kind = form.querySelector("select[name='kind']");
  if (!kind) { return; }
  function apply() {
    var chosen = kind.value;
    form.querySelectorAll("[data-kinds]").forEach(function (box) {
      var kinds = box.getAttribute("data-kinds").split(" ");
      box.hidden = kinds.indexOf(chosen) === -1;
    });
  }
  form.classList.add("al-by-kind");
  kind.addEventListener("change", apply);
  apply();
}());
