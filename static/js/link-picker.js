/* The link picker: typing "[[" in the lead or a section's body lists the
 * articles, places and people whose name contains what follows (the
 * article admin's link-picker/ view, articles/admin/link_picker.py).
 *
 * The ARIA 1.2 combobox pattern, as a textarea allows it: the textarea keeps
 * its textbox role (a textarea may take no other) with aria-autocomplete,
 * aria-controls and aria-activedescendant pointing into a listbox of
 * options; a live region says how many suggestions there are. Down and Up
 * move through them, Enter or Tab inserts "[[Title]]" in place of what was
 * typed, Escape closes the list. A click on an option inserts it too.
 * Its words come in the admin's language from #link-picker-config's
 * data-label-* attributes (the change form's template), English without.
 */
(function () {
  "use strict";
  var OPEN = /\[\[([^\[\]|\n]{1,100})$/;
  var DELAY_MS = 150;
  var list, status, endpoint;
  var labels = {};
  var target = null;
  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;

  function isPicking(el) {
    return el && el.tagName === "TEXTAREA" && el.name &&
      (el.name === "lead" || /^sections-\d+-body$/.test(el.name));
  }

  function typedTerm(el) {
    var before = el.value.slice(0, el.selectionStart);
    var match = OPEN.exec(before);
    return match && el.selectionStart === el.selectionEnd ? match[1] : null;
  }

  function close() {
    if (!target) return;
    target.removeAttribute("aria-activedescendant");
    target.setAttribute("aria-autocomplete", "list");
    list.hidden = true;
    list.textContent = "";
    status.textContent = "";
    items = [];
    active = -1;
    target = null;
  }

  function highlight(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      target.setAttribute("aria-activedescendant", list.children[index].id);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else {
      target.removeAttribute("aria-activedescendant");
    }
  }

  function insert(index) {
    var el = target;
    var title = items[index].title;
    var caret = el.selectionStart;
    var before = el.value.slice(0, caret);
    var match = OPEN.exec(before);
    if (!match) return close();
    var start = caret - match[0].length;
    var after = el.value.slice(caret);
    // "]]" the editor may have typed already is not doubled.
    if (after.slice(0, 2) === "]]") after = after.slice(2);
    var link = "[[" + title + "]]";
    el.value = before.slice(0, start) + link + after;
    el.selectionStart = el.selectionEnd = start + link.length;
    close();
    el.focus();
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function show(el, results) {
    target = el;
    items = results;
    list.textContent = "";
    results.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "link-picker-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var title = document.createElement("span");
      title.textContent = item.title;
      var kind = document.createElement("span");
      kind.className = "link-picker-kind";
      // "article", "place", "person": data-label-kind-article, ...
      kind.textContent = labels["labelKind" + item.kind.charAt(0).toUpperCase() + item.kind.slice(1)] ||
        item.kind;
      li.appendChild(title);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(kind);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the textarea's focus and caret
        active = i;
        insert(i);
      });
      list.appendChild(li);
    });
    if (!results.length) {
      list.hidden = true;
      status.textContent = labels.labelNone || "No matching titles.";
      return;
    }
    list.hidden = false;
    // Under the textarea, in the coordinates of whatever the list is placed in.
    var box = el.getBoundingClientRect();
    var origin = (list.offsetParent || document.body).getBoundingClientRect();
    list.style.minWidth = Math.min(box.width, 420) + "px";
    list.style.top = box.bottom - origin.top + "px";
    // Lined up with the textarea's start: its right edge in a right-to-left
    // admin (Dari, Pashto).
    var rtl = getComputedStyle(el).direction === "rtl";
    list.style.left = (rtl ? box.right - list.offsetWidth : box.left) - origin.left + "px";
    // One sentence for every count: the languages' plural rules differ.
    status.textContent = labels.labelCount ? labels.labelCount.replace("%(count)s", results.length) :
      results.length + (results.length === 1 ? " suggestion" : " suggestions") +
      ": Down to choose, Enter to insert, Escape to close.";
    highlight(0);
  }

  function ask(el) {
    var term = typedTerm(el);
    if (term === null || !term.trim()) {
      if (target === el) close();
      return;
    }
    var mine = ++asked;
    fetch(endpoint + "?term=" + encodeURIComponent(term), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        // Only the answer to the latest question, while still typing there.
        if (mine !== asked || document.activeElement !== el || typedTerm(el) !== term) return;
        if (target && target !== el) close();
        show(el, data.results || []);
      })
      .catch(function () { /* no suggestions: typing goes on */ });
  }

  function start() {
    var form = document.getElementById("article_form");
    if (!form) return;
    var config = document.getElementById("link-picker-config");
    if (!config) return;
    endpoint = config.getAttribute("data-url");
    labels = config.dataset;
    list = document.createElement("ul");
    list.id = "link-picker-list";
    list.className = "link-picker-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", labels.labelList || "Link to");
    list.hidden = true;
    status = document.createElement("div");
    status.className = "link-picker-status";
    status.setAttribute("role", "status");
    // Inside the page's main landmark, as all content should be.
    var main = form.closest("main") || document.body;
    main.appendChild(list);
    main.appendChild(status);

    function prepare(el) {
      if (el.getAttribute("aria-controls") === list.id) return;
      el.setAttribute("aria-autocomplete", "list");
      el.setAttribute("aria-controls", list.id);
    }
    Array.prototype.forEach.call(form.querySelectorAll("textarea"), function (el) {
      if (isPicking(el)) prepare(el);
    });

    form.addEventListener("input", function (event) {
      var el = event.target;
      if (!isPicking(el)) return;
      prepare(el);
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { ask(el); }, DELAY_MS);
    });
    form.addEventListener("keydown", function (event) {
      if (!target || event.target !== target || list.hidden) return;
      if (event.key === "ArrowDown") {
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        highlight((active - 1 + items.length) % items.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        insert(active);
      } else if (event.key === "Escape") {
        close();
      } else {
        return;
      }
      event.preventDefault();
    });
    form.addEventListener("focusout", function (event) {
      if (event.target === target) close();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
