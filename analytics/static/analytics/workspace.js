/* The evaluation workspace's trend chart: the index and the four dimensions over the last
   periods, drawn with Chart.js from the canvas's data-config (no inline script). */
(function () {
  "use strict";
  var canvas = document.getElementById("ws-trend-chart");
  if (!canvas || !window.Chart) { return; }
  var config = JSON.parse(canvas.dataset.config);
  var colors = ["#24292f", "#1565c0", "#388e3c", "#ef6c00", "#8e24aa"];
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: config.labels,
      datasets: config.series.map(function (s, i) {
        return {
          label: s.label, data: s.values, borderColor: colors[i % colors.length],
          backgroundColor: colors[i % colors.length], borderWidth: i === 0 ? 3 : 1.5,
          spanGaps: true, tension: 0.2
        };
      })
    },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { y: { suggestedMin: 0, suggestedMax: 100 } },
      plugins: { legend: { position: "bottom" } }
    }
  });
  canvas.setAttribute("data-ready", "1");  // drawn (animation is off): the bench waits for it
}());
