// CrisisDesk: relative times, the incident room's live timeline, quick checklist ticks and
// playbook suggestions, copy buttons. Everything works without this file; it only saves reloads
// (copy buttons stay hidden without it).
// The server writes absolute times in <time datetime> (pages it keeps must not depend on the clock);
// this writes "in 26 minutes", "open for 2 hours", "5 minutes ago" from them, with units, in the
// page's language, as plain text a screen reader reads.
(function () {
  "use strict";
  var body = document.body;
  var lang = document.documentElement.lang || "en";
  var units = {};

  function unit(value, name) {
    if (!units[name]) {
      try { units[name] = new Intl.NumberFormat(lang, {style: "unit", unit: name, unitDisplay: "long"}); }
      catch (error) { units[name] = {format: function (n) { return n + " " + name + (n === 1 ? "" : "s"); }}; }
    }
    return units[name].format(value);
  }

  function joined(parts) {
    try { return new Intl.ListFormat(lang, {style: "long", type: "unit"}).format(parts); }
    catch (error) { return parts.join(", "); }
  }

  // The two largest units, e.g. "2 hours, 5 minutes" or "45 seconds".
  function duration(seconds) {
    var s = Math.max(0, Math.floor(seconds)), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), r = s % 60;
    var parts = d ? [unit(d, "day"), h && unit(h, "hour")]
      : h ? [unit(h, "hour"), m && unit(m, "minute")]
      : m ? [unit(m, "minute"), r && unit(r, "second")]
      : [unit(r, "second")];
    return joined(parts.filter(Boolean));
  }

  function ago(seconds) {
    var s = Math.max(0, Math.round(seconds)), steps = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
    for (var i = 0; i < steps.length; i++) {
      if (s >= steps[i][0] || steps[i][0] === 1) {
        try { return new Intl.RelativeTimeFormat(lang, {numeric: "always"}).format(-Math.floor(s / steps[i][0]), steps[i][1]); }
        catch (error) { return duration(s); }
      }
    }
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = (Date.parse(el.dataset.due) - now) / 1000;
      var template = left >= 0 ? body.dataset.textIn : body.dataset.textOverdue;
      el.textContent = template.replace("{}", duration(Math.abs(left)));
      el.classList.toggle("overdue", left < 0);
    });
    document.querySelectorAll("[data-overdue-at]").forEach(function (step) {
      if (Date.parse(step.dataset.overdueAt) >= now) { return; }
      step.classList.add("step-overdue");
      step.querySelectorAll(".step-state").forEach(function (el) { el.classList.add("d-none"); });
      step.querySelectorAll(".overdue-badge").forEach(function (el) { el.classList.remove("d-none"); });
    });
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var seconds = (now - Date.parse(el.dataset.since)) / 1000 + Number(el.dataset.plus || 0);
      seconds = Math.max(seconds, Number(el.dataset.atLeast || 0));
      el.textContent = el.dataset.template.replace("{}", duration(seconds));
      if (el.dataset.limit) { el.classList.toggle("text-danger", seconds > Number(el.dataset.limit)); }
    });
    document.querySelectorAll("time[data-ago]").forEach(function (el) {
      el.textContent = ago((now - Date.parse(el.getAttribute("datetime"))) / 1000);
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
            button.addEventListener("click", function () { select.value = item.slug; showCriteria(); select.focus(); });
            box.appendChild(button);
          });
          if (items.length && !select.value) { select.value = items[0].slug; showCriteria(); }
        })
        .catch(function () { /* suggestions are a convenience */ });
    }
    function showCriteria() {
      document.querySelectorAll("[data-criteria]").forEach(function (block) {
        block.hidden = block.dataset.criteria !== select.value;
      });
    }
    select.addEventListener("change", showCriteria);
    ["title", "summary"].forEach(function (name) {
      form.elements[name].addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 300); });
    });
  }

  // Copy the exact text of the element named in data-copy; the button is hidden without this
  // script because it cannot work without it. The result is said in the live region beside it.
  function copyButton(button) {
    var status = button.parentNode.querySelector("[role=status]");
    function say(copied) {
      if (status) { status.textContent = copied ? button.dataset.copied : button.dataset.copyFailed; }
    }
    function selectAndCopy(target) {
      var range = document.createRange(), selection = window.getSelection(), copied = false;
      range.selectNodeContents(target);
      selection.removeAllRanges();
      selection.addRange(range);  // left selected, so copying by hand works if this fails
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      say(copied);
    }
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.copy);
      if (!target) { return; }
      if (status) { status.textContent = ""; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(target.textContent)
          .then(function () { say(true); }, function () { selectAndCopy(target); });
      } else {
        selectAndCopy(target);
      }
    });
  }

  if (document.querySelector("[data-due], [data-overdue-at], [data-since], time[data-ago]")) {
    tick();
    setInterval(tick, 1000);
  }
  var list = document.querySelector("[data-poll]");
  if (list) { pollTimeline(list); }
  document.querySelectorAll(".checklist-form").forEach(quickChecklist);
  var openForm = document.getElementById("open-incident");
  if (openForm) { suggestPlaybooks(openForm); }
  document.querySelectorAll("button[data-copy]").forEach(copyButton);
  // The room keeps its first-hour guidance open only while the incident is young; closed once,
  // on loading, so it never folds away under someone reading it.
  document.querySelectorAll("details[data-close-after]").forEach(function (details) {
    if (Date.parse(details.dataset.closeAfter) < Date.now()) { details.open = false; }
  });
})();
