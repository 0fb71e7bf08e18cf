// CrisisDesk: countdowns, the incident room's live timeline, quick checklist ticks and
// playbook suggestions. Everything works without this file; it only saves reloads.
(function () {
  "use strict";
  var body = document.body;

  function clockText(seconds) {
    var s = Math.abs(Math.round(seconds)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(r).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  function tickCountdowns() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = (Date.parse(el.dataset.due) - now) / 1000;
      var template = left > 0 ? body.dataset.textIn : body.dataset.textOverdue;
      el.textContent = template.replace("{}", clockText(left));
      el.classList.toggle("overdue", left <= 0);
    });
  }

  function pollTimeline(list) {
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(list.dataset.poll + "?after=" + list.dataset.lastSeq, {credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          var last = response.headers.get("X-Last-Seq");
          return response.text().then(function (html) { return {html: html, last: last}; });
        })
        .then(function (page) {
          if (page.html.trim()) {
            list.insertAdjacentHTML("afterbegin", page.html);
            if (/event-(escalation|severity|status|role|incident)/.test(page.html)) {
              document.getElementById("changes-banner").classList.remove("d-none");
            }
          }
          if (page.last) { list.dataset.lastSeq = page.last; }
        })
        .catch(function () { /* offline for a moment: the next poll tries again */ })
        .finally(function () { busy = false; });
    }, 4000);
  }

  function quickChecklist(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          var done = form.elements.done.value === "1";
          form.elements.done.value = done ? "0" : "1";
          button.classList.toggle("btn-success", done);
          button.classList.toggle("btn-outline-secondary", !done);
          button.setAttribute("aria-pressed", done ? "true" : "false");
          button.querySelector("[aria-hidden]").textContent = done ? "✓" : "○";
        })
        .catch(function () { form.submit(); })
        .finally(function () { button.disabled = false; });
    });
  }

  function suggestPlaybooks(form) {
    var box = document.getElementById("suggestions"), timer = null;
    var select = form.elements.playbook;
    function ask() {
      var text = form.elements.title.value + " " + form.elements.summary.value;
      fetch(box.dataset.url + "?text=" + encodeURIComponent(text), {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (items) {
          box.textContent = "";
          items.forEach(function (item) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "btn btn-sm btn-outline-primary me-1 mb-1";
            button.textContent = item.title + " (" + item.language.toUpperCase() + ")";
            button.addEventListener("click", function () { select.value = item.slug; select.focus(); });
            box.appendChild(button);
          });
          if (items.length && !select.value) { select.value = items[0].slug; }
        })
        .catch(function () { /* suggestions are a convenience */ });
    }
    ["title", "summary"].forEach(function (name) {
      form.elements[name].addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 300); });
    });
  }

  if (document.querySelector("[data-due]")) { tickCountdowns(); setInterval(tickCountdowns, 1000); }
  var list = document.querySelector("[data-poll]");
  if (list) { pollTimeline(list); }
  document.querySelectorAll(".checklist-form").forEach(quickChecklist);
  var openForm = document.getElementById("open-incident");
  if (openForm) { suggestPlaybooks(openForm); }
})();
