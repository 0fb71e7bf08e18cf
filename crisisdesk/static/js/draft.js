// CrisisDesk draft page: keeps the preview of the text as it will be posted in step with the
// fields while the person types. The server renders the same preview without this file; here
// the server is asked again (it fills the statement as drafting does) once typing pauses.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form || !form.dataset.previewUrl) { return; }
  var region = document.getElementById("draft-preview");
  var text = document.getElementById("preview-text");
  var count = document.getElementById("preview-count");
  var countLine = document.getElementById("preview-count-line");
  var channelName = document.getElementById("preview-channel");
  var problem = document.getElementById("preview-problem");
  var timer = null, asked = 0, touched = {};

  // A field's error shows once it has a value or was changed; until then an empty field only
  // shows as [its label] in the preview (and keeps what the server said after a failed post).
  function showFieldErrors(errors) {
    Array.prototype.forEach.call(form.elements, function (input) {
      var box = input.id && document.getElementById(input.id + "-error");
      if (!box || input.name === "channel") { return; }
      if (!input.value.trim() && !touched[input.name]) { return; }
      var message = errors[input.name] || "";
      box.textContent = message;
      input.classList.toggle("is-invalid", Boolean(message));
      if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    });
  }

  function show(preview) {
    // a Markdown channel's document as its readers see it (the server sanitised it), else the post
    if (preview.html === null) { text.textContent = preview.text; } else { text.innerHTML = preview.html; }
    text.classList.toggle("statement-text", preview.html === null);
    count.textContent = preview.length + (preview.limit ? " / " + preview.limit : "");
    countLine.classList.toggle("text-danger", preview.over);
    countLine.classList.toggle("fw-bold", preview.over);
    Array.prototype.forEach.call(form.elements.channel.options, function (option) {
      if (option.value === preview.channel) { channelName.textContent = option.textContent; }
    });
    problem.textContent = preview.errors.channel || preview.errors.body
      || (preview.over ? region.dataset.tooLong : "");
    showFieldErrors(preview.errors);
  }

  function ask() {
    var number = ++asked;
    var data = new FormData(form);
    data.append("statement", form.dataset.statement);
    fetch(form.dataset.previewUrl, {method: "POST", body: data, credentials: "same-origin",
                                    headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (preview) { if (number === asked) { show(preview); } })
      .catch(function () { /* the preview is a help: the form still drafts without it */ });
  }

  function later(event) {
    if (event.target.name) { touched[event.target.name] = true; }
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  }

  // What was typed or chosen before this script ran (a slow phone shows the form first) counts
  // as typed: those fields are marked touched and the preview is asked for them at once.
  function changedBeforeStart() {
    var changed = false;
    Array.prototype.forEach.call(form.elements, function (input) {
      var moved = input.options
        ? Array.prototype.some.call(input.options, function (o) { return o.selected !== o.defaultSelected; })
        : (input.type === "checkbox" || input.type === "radio")
          ? input.checked !== input.defaultChecked
          : input.value !== input.defaultValue;
      if (moved && input.name) { touched[input.name] = true; changed = true; }
    });
    return changed;
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  if (changedBeforeStart()) { ask(); }
})();
