/* Quality dashboards: draws every <canvas data-chart="ID"> from the JSON in
   <script id="ID" type="application/json"> (made by Django's json_script).
   Config: {type, labels, datasets: [{label, data, colors?}], links?: [url per label],
   max?: number}. Clicking a bar or point opens the link of its label: the
   records or issues behind the figure. Uses the vendored Chart.js (window.Chart). */
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) { return; }
    var cfg = JSON.parse(source.textContent);
    var datasets = cfg.datasets.map(function (set, index) {
      var palette = ["#2f6db5", "#b3261e", "#2e9d5b", "#e6a019", "#7b4bb7", "#4a4a4a", "#14899c"];
      var colour = palette[index % palette.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: set.colors || colour,
        borderColor: set.colors || colour,
        spanGaps: true,
        tension: 0.2,
        // One department or city fills the whole chart otherwise.
        maxBarThickness: 36
      };
    });
    var scale = { beginAtZero: true };
    if (cfg.max) { scale.max = cfg.max; }
    var options = {
      responsive: true,
      animation: false,
      maintainAspectRatio: false,
      indexAxis: cfg.horizontal ? "y" : "x",
      plugins: { legend: { display: datasets.length > 1 } },
      scales: cfg.horizontal ? { x: scale } : { y: scale },
      onClick: function (event, elements) {
        if (!cfg.links || !elements.length) { return; }
        var url = cfg.links[elements[0].index];
        if (url) { window.location.href = url; }
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length && cfg.links ? "pointer" : "default";
      }
    };
    new window.Chart(canvas, { type: cfg.type || "bar", data: { labels: cfg.labels, datasets: datasets }, options: options });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
