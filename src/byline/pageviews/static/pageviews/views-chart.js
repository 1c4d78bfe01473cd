// Views per day as a line chart (uPlot, vendored). Each element with data-views-chart
// names the <script type="application/json"> holding [[unix seconds...], [views...]].
// Without JavaScript the table beside the chart carries the same numbers.
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-views-chart"));
    if (!source || typeof uPlot === "undefined") return;
    var data = JSON.parse(source.textContent);
    var size = function () {
      return { width: Math.max(280, element.clientWidth), height: 260 };
    };
    var options = Object.assign(size(), {
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(4, max * 1.1)]; } } },
      axes: [{}, { label: "views", size: 60 }],
      legend: { show: true },
      series: [
        { label: "day", value: "{YYYY}-{MM}-{DD}" },
        { label: "views", stroke: "#0b57a4", width: 2, fill: "rgba(11, 87, 164, 0.12)",
          points: { show: data[0].length <= 45 } }
      ]
    });
    var plot = new uPlot(options, data, element);
    element.setAttribute("data-chart-ready", "");
    window.addEventListener("resize", function () { plot.setSize(size()); });
  }

  function start() {
    document.querySelectorAll("[data-views-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
