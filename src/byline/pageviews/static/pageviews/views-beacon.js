// The `beacon` counting mode: the page (possibly from a CDN's cache) counts its view by a
// POST to its beacon URL and shows the fresh count it gets back. fetch with keepalive is
// the request navigator.sendBeacon makes, with an answer one can read; sendBeacon itself
// is the fallback where fetch is missing. A prerendered page counts only once shown.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  if (!url) return;

  function show(views) {
    var label = views + (views === 1 ? " view" : " views");
    document.querySelectorAll("[data-views]").forEach(function (counter) {
      counter.textContent = label;
    });
  }

  function send() {
    if (window.fetch) {
      fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (answer && typeof answer.views === "number") show(answer.views);
        })
        .catch(function () {});
    } else if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    }
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
