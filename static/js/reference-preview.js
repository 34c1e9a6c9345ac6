/* Reference previews: hovering or focusing a citation superscript ([2])
   shows its entry of the References list in a popup, so that a reader
   can check a claim without leaving the text.

   - Hover: shown after a short pause, and kept while the pointer is on the
     superscript or on the popup (its links can be clicked).
   - Keyboard: shown while the superscript has focus; Escape hides it.
   - Touch: the first tap on a superscript shows the popup (which has a
     link to the entry), a second tap follows the superscript's link, a
     tap elsewhere hides it.
   - Without this script the superscript is a plain link to the entry.

   The popup is a copy of the entry's nodes (the page's own, sanitised
   markup), never HTML made from strings. Loaded as a static file: the
   Content-Security-Policy allows no inline script. Its own words come in
   the interface's language from its script tag's data-label-* attributes
   (article_body.html), English without them. */
(function () {
  "use strict";

  var SHOW_DELAY = 120; // ms: passing the pointer over a line shows nothing
  var HIDE_DELAY = 300; // ms: time to move the pointer onto the popup
  var MARGIN = 8; // px from the window's edges
  var popup = null;
  var current = null; // the superscript's link whose popup is shown
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = "mouse";
  var tapping = false; // a touch is down: its focus waits for the tap's click
  // Read now: document.currentScript is this script only while it runs.
  var labels = (document.currentScript && document.currentScript.dataset) || {};
  var REFERENCE = labels.labelReference || "Reference";
  var JUMP = labels.labelJump || "Go to the reference";

  // The popup's own words are the interface's (the page's <html>), not the
  // article's language the popup carries.
  function interfaceWords(node) {
    node.lang = document.documentElement.lang;
    node.dir = document.documentElement.dir;
    return node;
  }

  function markerLink(node) {
    return node && node.closest ? node.closest('sup.reference a[href^="#cite-note-"]') : null;
  }

  function inPopup(node) {
    return Boolean(popup && node && popup.contains(node));
  }

  function entryText(link) {
    var entry = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    return entry ? entry.querySelector(".reference-text") : null;
  }

  function makePopup() {
    popup = document.createElement("div");
    popup.id = "reference-preview";
    popup.className = "reference-preview";
    popup.setAttribute("role", "tooltip");
    popup.hidden = true;
    popup.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popup.addEventListener("mouseleave", function () { hideSoon(); });
    // In the main landmark, with the text it belongs to (not positioned:
    // the popup's coordinates are the document's).
    (document.querySelector("main") || document.body).appendChild(popup);
  }

  function fill(link, text) {
    popup.textContent = "";
    // The popup holds the reference's text: the article's language and
    // direction, not those of <main> it is placed in (the interface's).
    var marked = link.closest("[lang]");
    popup.lang = marked ? marked.lang : "";
    popup.dir = getComputedStyle(link).direction;
    var heading = document.createElement("p");
    heading.className = "reference-preview-heading";
    var sup = link.closest("sup");
    var locator = sup.querySelector(".reference-locator");
    interfaceWords(heading);
    heading.textContent = REFERENCE + " " + link.textContent.replace(/[\[\]]/g, "") +
      (locator ? " (" + locator.textContent.replace(/^:\s*/, "") + ")" : "");
    var body = text.cloneNode(true);
    body.removeAttribute("id");
    body.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    body.classList.add("reference-preview-text");
    var jump = document.createElement("a");
    jump.className = "reference-preview-jump";
    jump.href = link.hash;
    interfaceWords(jump);
    jump.textContent = JUMP;
    jump.addEventListener("click", function () { hide(); });
    popup.append(heading, body, jump);
  }

  function place(link) {
    var box = link.getBoundingClientRect();
    var width = popup.offsetWidth;
    var height = popup.offsetHeight;
    var viewport = document.documentElement.clientWidth;
    // Under the superscript from where its line starts: its left edge, or
    // its right edge in right-to-left text.
    var start = popup.dir === "rtl" ? box.right - width : box.left;
    var left = Math.max(MARGIN, Math.min(start, viewport - width - MARGIN));
    var top = box.bottom + 4;
    if (top + height > window.innerHeight && box.top - height - 4 > 0) {
      top = box.top - height - 4; // no room below: above the superscript
    }
    popup.style.left = left + window.scrollX + "px";
    popup.style.top = top + window.scrollY + "px";
  }

  function show(link) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current === link && !popup.hidden) return;
    var text = entryText(link);
    if (!text) return;
    hide();
    fill(link, text);
    popup.hidden = false;
    place(link);
    link.setAttribute("aria-describedby", popup.id);
    current = link;
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!popup || popup.hidden) return;
    popup.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function start() {
    if (!document.querySelector('sup.reference a[href^="#cite-note-"]')) return;
    makePopup();

    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "mouse";
      tapping = lastPointer === "touch";
    }, true);

    document.addEventListener("mouseover", function (event) {
      var link = markerLink(event.target);
      if (!link || lastPointer === "touch") return;
      clearTimeout(hideTimer);
      if (current === link) return;
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(link); }, SHOW_DELAY);
    });

    document.addEventListener("mouseout", function (event) {
      var link = markerLink(event.target);
      if (!link || link.contains(event.relatedTarget) || inPopup(event.relatedTarget)) return;
      if (current === link) hideSoon();
      else clearTimeout(showTimer);
    });

    document.addEventListener("focusin", function (event) {
      var link = markerLink(event.target);
      if (link && !tapping) show(link);
      else if (!link && !inPopup(event.target)) hide();
    });

    document.addEventListener("focusout", function (event) {
      if (markerLink(event.target) && !inPopup(event.relatedTarget)) hideSoon();
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !current || popup.hidden) return;
      var link = current;
      var wasInside = inPopup(document.activeElement);
      hide();
      if (wasInside) link.focus({ preventScroll: true });
      // Focus on the superscript again must not bring it straight back.
      if (wasInside) hide();
    });

    document.addEventListener("click", function (event) {
      var link = markerLink(event.target);
      var tapped = tapping;
      tapping = false;
      if (link && tapped && current !== link) {
        event.preventDefault(); // the first tap previews, the second follows the link
        show(link);
      } else if (!link && !inPopup(event.target)) {
        hide();
      }
    });

    window.addEventListener("resize", hide);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
