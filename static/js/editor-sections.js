/* The article form's sections, shown as their headings with one open at a
 * time: each section's heading line gets a toggle button (aria-expanded),
 * opening one closes the others. The one open at first is the first with an
 * error, else the first; a section added with "Add another" (at the end) is
 * opened. Without script every section stays open.
 */
(function () {
  "use strict";

  function labelOf(row, index) {
    var heading = row.querySelector('input[name$="-heading"]');
    var text = heading && heading.value.trim();
    return text || "Section " + (index + 1) + " (no heading yet)";
  }

  function setUp(group) {
    var rows = [];

    function open(row) {
      rows.forEach(function (r) {
        var on = r === row;
        r.editorToggle.setAttribute("aria-expanded", on ? "true" : "false");
        r.editorBody.hidden = !on;
        r.classList.toggle("section-open", on);
      });
    }

    function add(row) {
      if (row.editorToggle || row.classList.contains("empty-form")) return;
      var h3 = row.querySelector("h3");
      if (!h3) return;
      var body = document.createElement("div");
      body.className = "section-body";
      body.id = row.id + "-body";
      while (h3.nextSibling) body.appendChild(h3.nextSibling);
      row.appendChild(body);
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "section-toggle";
      toggle.setAttribute("aria-controls", body.id);
      toggle.textContent = labelOf(row, rows.length);
      // In place of the label the admin printed (the heading when saved):
      // the button follows the heading as it is typed.
      var label = h3.querySelector(".inline_label");
      h3.insertBefore(toggle, label || h3.firstChild);
      if (label) label.hidden = true;
      row.editorToggle = toggle;
      row.editorBody = body;
      rows.push(row);
      toggle.addEventListener("click", function () {
        if (toggle.getAttribute("aria-expanded") === "true") {
          toggle.setAttribute("aria-expanded", "false");
          body.hidden = true;
          row.classList.remove("section-open");
        } else {
          open(row);
        }
      });
      var heading = row.querySelector('input[name$="-heading"]');
      if (heading) {
        heading.addEventListener("input", function () {
          toggle.textContent = labelOf(row, rows.indexOf(row));
        });
      }
    }

    Array.prototype.forEach.call(group.querySelectorAll(".inline-related"), add);
    if (!rows.length) return;
    var withError = rows.filter(function (r) { return r.querySelector(".errorlist, .errors"); })[0];
    open(withError || rows[0]);

    document.addEventListener("formset:added", function (event) {
      if (!event.detail || event.detail.formsetName !== "sections") return;
      add(event.target);
      open(event.target);
      var heading = event.target.querySelector('input[name$="-heading"]');
      if (heading) heading.focus();
    });
  }

  function start() {
    var group = document.getElementById("sections-group");
    if (group) setUp(group);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
