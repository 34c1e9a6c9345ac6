/* No lost work: the article form keeps a draft of what was typed in this
 * browser (localStorage), and offers it back after a crash, a closed tab or
 * an expired session (the notice in templates/admin/articles/article/
 * change_form.html, with Restore and Discard buttons).
 *
 * A draft is keyed by the article and the base the form was shown with
 * (its signed "base_state"), so a draft is offered only on the form it was
 * typed into, never over a newer revision. It holds only the fields whose
 * value differs from what the page showed. On submit the key is noted in
 * sessionStorage; the next page with a success message (the change list, or
 * the form after "Save and continue") drops that draft, and a form shown
 * again with errors keeps it.
 *
 * Loaded on every page of the article admin (ArticleAdmin.Media).
 */
(function () {
  "use strict";
  var PREFIX = "editor-draft:";
  var SUBMITTED = "editor-draft-submitted";
  var DELAY_MS = 700;

  function store(kind) {
    try {
      var s = window[kind];
      s.getItem(PREFIX); // throws when storage is disabled
      return s;
    } catch (e) {
      return null;
    }
  }

  function hash(text) {
    var h = 5381;
    for (var i = 0; i < text.length; i++) {
      h = ((h << 5) + h + text.charCodeAt(i)) | 0;
    }
    return (h >>> 0).toString(36);
  }

  function successShown() {
    return document.querySelector(".messagelist .success, .messagelist .info") !== null;
  }

  // What a field holds now, or (asDefault) what the server sent: a reload
  // may refill the fields with what was typed, and the draft is measured
  // against the saved text, not against that.
  function valueOf(el, asDefault) {
    if (el.type === "checkbox") return (asDefault ? el.defaultChecked : el.checked) ? "on" : "";
    if (el.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(el.options, function (o) {
        return asDefault ? o.defaultSelected : o.selected;
      }).map(function (o) { return o.value; });
      if (!el.multiple && !chosen.length && el.options.length) chosen = [el.options[0].value];
      return chosen.join("\u0000");
    }
    return asDefault ? el.defaultValue : el.value;
  }

  function fieldsOf(form, asDefault) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.name === "base_state") return;
      if (el.type === "hidden" || el.type === "submit" || el.type === "button" || el.type === "file") return;
      if (el.name.indexOf("__prefix__") !== -1) return; // the template row of "Add another"
      if (el.type === "radio") {
        if (asDefault ? el.defaultChecked : el.checked) fields[el.name] = el.value;
        return;
      }
      fields[el.name] = valueOf(el, asDefault);
    });
    return fields;
  }

  function changedFields(now, initial) {
    var changed = {};
    var any = false;
    Object.keys(now).forEach(function (name) {
      if (now[name] !== initial[name]) {
        changed[name] = now[name];
        any = true;
      }
    });
    return any ? changed : null;
  }

  function setField(form, name, value) {
    var els = form.elements.namedItem(name);
    if (!els) return null;
    var el = els.tagName ? els : els[0];
    if (el.type === "radio") {
      Array.prototype.forEach.call(els, function (r) { r.checked = r.value === value; });
    } else if (el.type === "checkbox") {
      el.checked = value === "on";
    } else if (el.tagName === "SELECT" && el.multiple) {
      var chosen = value.split("\u0000");
      Array.prototype.forEach.call(el.options, function (o) { o.selected = chosen.indexOf(o.value) !== -1; });
    } else {
      el.value = value;
    }
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
    return el;
  }

  function dropSubmitted(local, session) {
    var submitted = session && session.getItem(SUBMITTED);
    if (submitted && successShown()) {
      if (local) local.removeItem(submitted);
      session.removeItem(SUBMITTED);
    }
    return submitted;
  }

  function start() {
    var local = store("localStorage");
    var session = store("sessionStorage");
    if (!local) return;
    var form = document.getElementById("article_form");
    if (document.querySelector("[data-editor-draft-login]")) return; // the login that saves
    var submitted = dropSubmitted(local, session);
    if (!form) return;
    var notice = document.getElementById("editor-draft-notice");
    var base = form.elements.namedItem("base_state");
    var article = notice ? notice.getAttribute("data-draft-article") : "add";
    // The signed base is "state:timestamp:signature"; the state alone is
    // what the form showed, the same on every load of one revision.
    var key = PREFIX + article + ":" + hash(base && base.value ? base.value.split(":")[0] : "");
    var initial = fieldsOf(form, true);

    if (submitted && session) {
      // The form again, with errors: what was posted is on the page; keep
      // the draft under this page's key (a merge gives it a new base).
      if (submitted !== key && local.getItem(submitted) !== null) {
        local.setItem(key, local.getItem(submitted));
        local.removeItem(submitted);
      }
      session.removeItem(SUBMITTED);
    }

    var pending = null; // a draft offered and not yet restored or discarded
    var timer = null;

    function save() {
      timer = null;
      if (pending) return; // never overwrite the draft on offer
      var changed = changedFields(fieldsOf(form), initial);
      try {
        if (changed) {
          local.setItem(key, JSON.stringify({ saved: Date.now(), fields: changed }));
        } else {
          local.removeItem(key);
        }
      } catch (e) {
        /* storage full: the form itself still works */
      }
    }

    function later() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }

    function flush() {
      if (timer) {
        clearTimeout(timer);
        save();
      }
    }

    function close(focusTarget) {
      pending = null;
      notice.hidden = true;
      if (focusTarget) focusTarget.focus();
      save();
    }

    var stored = null;
    try {
      stored = JSON.parse(local.getItem(key) || "null");
    } catch (e) {
      stored = null;
    }
    var shown = fieldsOf(form, false);
    var offered = stored && stored.fields && changedFields(
      Object.keys(stored.fields).reduce(function (acc, name) {
        if (name in shown) acc[name] = stored.fields[name];
        return acc;
      }, {}),
      shown
    );
    if (offered && notice) {
      pending = offered;
      var when = notice.querySelector(".editor-draft-when");
      if (when && stored.saved) when.textContent = " (last typed " + new Date(stored.saved).toLocaleString() + ")";
      notice.hidden = false;
      notice.addEventListener("click", function (event) {
        var action = event.target.getAttribute("data-draft-action");
        if (action === "restore") {
          var first = null;
          Object.keys(pending).forEach(function (name) {
            var el = setField(form, name, pending[name]);
            first = first || el;
          });
          close(first);
        } else if (action === "discard") {
          local.removeItem(key);
          close(form.elements.namedItem("title"));
        }
      });
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () {
      flush();
      if (session && local.getItem(key) !== null) session.setItem(SUBMITTED, key);
    });
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
