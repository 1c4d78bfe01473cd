// Live preview of an article's Markdown in the admin, rendered and sanitised by the
// server exactly as it will be published. The admin loads this file in <head>, before
// the form exists: it starts once the document is parsed.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var body = document.getElementById("id_body");
  if (!body || !body.dataset.previewUrl) return;
  var label = document.createElement("div");
  label.className = "byline-preview-label";
  label.textContent = "Preview";
  var pane = document.createElement("div");
  pane.className = "byline-preview";
  pane.setAttribute("aria-live", "polite");
  body.after(label, pane);
  var token = document.querySelector("[name=csrfmiddlewaretoken]").value;
  var timer = null;

  function update() {
    fetch(body.dataset.previewUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      body: new URLSearchParams({ body: body.value }),
      credentials: "same-origin",
    })
      .then(function (response) { return response.text(); })
      .then(function (html) { pane.innerHTML = html; });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
  update();
});
