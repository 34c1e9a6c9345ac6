// "Show preview" and "Show changes" without leaving the form: the same POST
// the button makes without script (articles/admin/preview.py), asked for the
// preview alone (the X-Edit-Preview header), put in the preview region at the
// top of the form. Any failure falls back to the button's own submission.
(function () {
  "use strict";

  function area() {
    return document.getElementById("edit-preview-area");
  }

  async function show(button, form) {
    const data = new FormData(form);
    data.set(button.name, button.value);
    const response = await fetch(button.formAction, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Edit-Preview": "fragment" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.startsWith("text/html")) {
      throw new Error("preview answered " + response.status);
    }
    const target = area();
    // Our own server's markup, sanitised as the page's (nh3) and escaped.
    target.innerHTML = await response.text();
    target.scrollIntoView({ block: "start" });
    const heading = target.querySelector("h2");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[name='_preview']");
    if (!button || !button.form || !area() || !window.fetch || button.dataset.plain) {
      return;
    }
    event.preventDefault();
    button.disabled = true;
    show(button, button.form)
      .catch(function () {
        button.disabled = false;
        button.dataset.plain = "1"; // this time, the button's own submission
        button.form.requestSubmit(button);
      })
      .finally(function () {
        button.disabled = false;
      });
  });
})();
