// The survey builder without full page reloads. Every form and link here works without this
// script (a post, a redirect back to the builder); with it, the builder asks the same URLs
// for a piece of page (header X-Builder-Fragment: 1) and swaps it in: the question list
// (reply header X-Builder-Swap: list) or the question form with its errors (form).
// Drag and drop uses SortableJS (served from our origin) and posts the whole new order.
(function () {
  "use strict";

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fragment(url, options) {
    options = options || {};
    options.headers = { "X-Builder-Fragment": "1", "X-CSRFToken": token() };
    options.credentials = "same-origin";
    return fetch(url, options).then(function (reply) {
      var swap = reply.headers.get("X-Builder-Swap");
      if (!swap) {
        var error = new Error("not a builder fragment: " + reply.status);
        error.answered = true; // the server did answer: sending again could do it twice
        throw error;
      }
      return reply.text().then(function (html) { return { swap: swap, html: html }; });
    });
  }

  function element(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  // Option rows: "+ add an option" copies the last row with the next number and no values.
  function addOption(button) {
    var rows = button.parentNode.querySelectorAll(".option-row:not(.option-head)");
    var last = rows[rows.length - 1];
    var next = 0;
    rows.forEach(function (row) {
      var input = row.querySelector("input[name^=option_label_]");
      var index = parseInt(input.name.replace(/\D+/g, ""), 10);
      if (index >= next) next = index + 1;
    });
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/\d+$/, String(next));
      input.value = "";
    });
    button.parentNode.insertBefore(copy, button);
    copy.querySelector("input").focus();
  }

  // Condition rows: "+ add a condition" shows the next hidden row.
  function addCondition(button) {
    var hidden = button.parentNode.querySelectorAll(".condition-row[hidden]");
    if (hidden.length) {
      hidden[0].hidden = false;
      hidden[0].querySelector("select").focus();
    }
    button.hidden = hidden.length <= 1;
  }

  // What applies follows what is chosen: option rows for the types with options, the words
  // between conditions ("and when" / "or when"), the skip target and its condition.
  function follow(form) {
    var type = form.querySelector("select[name=type]");
    var rows = form.querySelector(".option-rows");
    if (type && rows) {
      rows.hidden = rows.getAttribute("data-types").split(" ").indexOf(type.value) < 0;
    }
    var match = form.querySelector("select[name=logic_match]");
    if (match) {
      form.querySelectorAll(".joiner").forEach(function (label) {
        label.textContent = label.getAttribute(match.value === "any" ? "data-any" : "data-all");
      });
    }
    var action = form.querySelector("select[name=jump_action]");
    if (action) {
      form.querySelector("select[name=jump_to]").hidden = action.value !== "skip";
      form.querySelector(".jump-when").hidden = !action.value;
    }
  }

  function enhance(root) {
    root.querySelectorAll(".add-option").forEach(function (b) { b.hidden = false; });
    root.querySelectorAll(".add-condition").forEach(function (b) {
      b.hidden = !b.parentNode.querySelector(".condition-row[hidden]");
    });
    root.querySelectorAll("form.question-form").forEach(follow);
    if (root.matches && root.matches("form.question-form")) follow(root);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("form.question-form");
    if (form && event.target.matches("[name=type], [name=logic_match], [name=jump_action]")) {
      follow(form);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.add-option, button.add-condition");
    if (!button) return;
    event.preventDefault();
    if (button.classList.contains("add-option")) addOption(button);
    else addCondition(button);
  });

  var builder = document.querySelector("[data-builder]");
  enhance(document);
  if (!builder) return;

  var addBox = document.getElementById("add-question");
  var pristineAdd = addBox ? addBox.querySelector("form").cloneNode(true) : null;
  var sortable = null;

  function previewReload() {
    var frame = builder.querySelector(".phone-preview iframe");
    if (frame && frame.contentWindow) frame.contentWindow.location.reload();
    document.dispatchEvent(new CustomEvent("builder:changed"));
  }

  // The preview's "jump to question" list follows the question list: the fragment carries its
  // options (rendered by the server) in a <template>; the chosen question stays chosen.
  function jumpListFollow(fresh) {
    var source = fresh.querySelector("template.preview-jump-options");
    var select = builder.querySelector(".phone-preview select[name=_to]");
    if (!source || !select) return;
    var chosen = select.value;
    select.replaceChildren(source.content.cloneNode(true));
    if (select.querySelector("option[value='" + CSS.escape(chosen) + "']")) select.value = chosen;
  }

  function questions() { return document.getElementById("builder-questions"); }

  function showList(html) {
    var fresh = element(html);
    questions().replaceWith(fresh);
    jumpListFollow(fresh);
    makeSortable();
    var note = fresh.querySelector(".builder-notes .note");
    if (note) note.scrollIntoView({ block: "nearest" });
    previewReload();
  }

  function busy(form, on) {
    form.classList.toggle("busy", on);
    form.querySelectorAll("button").forEach(function (b) { b.disabled = on; });
  }

  function plainSubmit(form, submitter) {
    if (submitter && submitter.name) {
      var carry = document.createElement("input");
      carry.type = "hidden";
      carry.name = submitter.name;
      carry.value = submitter.value;
      form.appendChild(carry);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-fragment]") || !builder.contains(form)) return;
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    var inAdd = addBox && addBox.contains(form);
    busy(form, true);
    fragment(form.getAttribute("action"), { method: "POST", body: data }).then(function (reply) {
      if (reply.swap === "list") {
        if (inAdd) {
          addBox.querySelector("form").replaceWith(pristineAdd.cloneNode(true));
          enhance(addBox);
        }
        showList(reply.html);
      } else {
        var fresh = element(reply.html);
        form.replaceWith(fresh);
        enhance(fresh);
        var error = fresh.querySelector(".error, .errorlist");
        if (error) error.scrollIntoView({ block: "center" });
      }
    }).catch(function (error) {
      busy(form, false);
      if (error.answered) window.location.reload();
      else plainSubmit(form, event.submitter);
    });
  });

  builder.addEventListener("click", function (event) {
    var edit = event.target.closest("a[data-edit]");
    var cancel = event.target.closest("a[data-cancel]");
    if (edit) {
      event.preventDefault();
      var card = edit.closest(".question-card");
      fragment(edit.href).then(function (reply) {
        if (reply.swap !== "form") { showList(reply.html); return; }
        var open = card.querySelector("form.question-form");
        if (open) open.remove();
        var form = element(reply.html);
        card.querySelector(".card-body").hidden = true;
        card.classList.add("editing");
        card.appendChild(form);
        enhance(form);
        var first = form.querySelector("input[type=text], textarea, select");
        if (first) first.focus();
      }).catch(function () { window.location.href = edit.href; });
    } else if (cancel && cancel.closest(".question-card")) {
      event.preventDefault();
      var owner = cancel.closest(".question-card");
      cancel.closest("form").remove();
      owner.classList.remove("editing");
      owner.querySelector(".card-body").hidden = false;
    }
  });

  function makeSortable() {
    var list = document.getElementById("question-list");
    if (!list || typeof Sortable === "undefined" || !list.querySelector(".drag-handle")) return;
    if (sortable) sortable.destroy();
    sortable = Sortable.create(list, {
      handle: ".drag-handle",
      draggable: ".question-card",
      animation: 150,
      forceFallback: true, // mouse and touch alike, the same on every browser
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        var data = new FormData();
        list.querySelectorAll(".question-card").forEach(function (card) {
          data.append("order", card.getAttribute("data-key"));
        });
        fragment(questions().getAttribute("data-reorder-url"), { method: "POST", body: data })
          .then(function (reply) { showList(reply.html); })
          .catch(function () { window.location.reload(); });
      },
    });
  }

  makeSortable();
})();
