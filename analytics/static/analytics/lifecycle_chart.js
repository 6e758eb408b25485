/* The lifecycle page's flow chart: stacked bars of customers by their stage a quarter earlier,
   split by their stage now. Data (translated labels included) from the json_script block. */
(function () {
  "use strict";
  var canvas = document.getElementById("lifecycle-flow-chart");
  var source = document.getElementById("lifecycle-flow-data");
  if (!canvas || !source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: data.datasets },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 },
             title: { display: true, text: data.x_title } },
        y: { stacked: true, title: { display: true, text: data.y_title } }
      },
      plugins: {
        legend: { position: "bottom", title: { display: true, text: data.legend_title } },
        tooltip: { mode: "nearest" }
      }
    }
  });
  canvas.dataset.drawn = "1";
})();
