/* The survey results page: draws one Chart.js bar chart per question from the JSON that the
   page carries (json_script), labels on canvas only, never HTML. */
(function () {
  "use strict";
  var dataNode = document.getElementById("results-charts");
  if (!dataNode || !window.Chart) { return; }
  var charts = JSON.parse(dataNode.textContent);
  var labels = JSON.parse(document.getElementById("results-labels").textContent);
  var locale = labels.language === "en" ? "en-US" : "zh-CN";
  var printing = document.body.classList.contains("printable");
  var NPS = ["#d32f2f", "#d32f2f", "#d32f2f", "#d32f2f", "#d32f2f", "#d32f2f", "#d32f2f",
             "#fbc02d", "#fbc02d", "#388e3c", "#388e3c"];

  function pct(value) {
    if (value === null || value === undefined) { return "—"; }
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value) + "%";
  }

  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) { return; }
    var horizontal = spec.kind === "choice";
    var colors = spec.nps && spec.counts.length === 11 ? NPS : "#5c6bc0";
    var chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [{ label: labels.count, data: spec.counts, backgroundColor: colors }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: printing ? false : undefined,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return labels.count + ": " + item.raw + " · " + labels.share + ": " + pct(spec.shares[item.dataIndex]);
              }
            }
          }
        },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
    canvas.dataset.drawn = chart ? "1" : "";
  });
  document.body.dataset.chartsDrawn = String(charts.length);
  if (printing) {
    window.addEventListener("load", function () { window.print(); });
  }
})();
