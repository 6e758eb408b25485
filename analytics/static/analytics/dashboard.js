/* The manager dashboard: reads the filters from the form / URL, loads every chart's JSON
   and draws it with Chart.js. Configuration and translated labels come from data-config. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.Chart) { return; }
  var config = JSON.parse(root.dataset.config);
  var L = config.labels;
  var locale = config.language === "en" ? "en-US" : "zh-CN";
  var form = document.getElementById("dash-filters");
  var charts = {};
  var COLORS = {
    detractor: "#d32f2f", passive: "#fbc02d", promoter: "#388e3c",
    positive: "#43a047", neutral: "#9e9e9e", negative: "#e53935",
    line: "#1565c0", band: "rgba(21, 101, 192, 0.15)", bar: "#5c6bc0", accent: "#ef6c00"
  };
  var SMALL = 30;

  function num(value, digits) {
    if (value === null || value === undefined) { return "—"; }
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits === undefined ? 1 : digits }).format(value);
  }

  // Shares drawn on a 0–100 scale (CSAT top-2-box, revenue share, SLA compliance).
  function pct(value, digits) { return value === null || value === undefined ? "—" : num(value, digits === undefined ? 1 : digits) + "%"; }
  function labelWith(format) {
    return function (ctx) { return ctx.dataset.label.trim() + ": " + format(ctx.parsed.y); };
  }

  function dateLabel(iso) {
    var parts = iso.split("-").map(Number);
    return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" })
      .format(new Date(parts[0], parts[1] - 1, parts[2] || 1));
  }

  function filterParams() {
    var params = new URLSearchParams();
    // Dates stay even when cleared: an empty range means all time, not the default year.
    new FormData(form).forEach(function (value, key) {
      if (value || key === "from" || key === "to") { params.set(key, value); }
    });
    return params;
  }

  function url(base, extra) {
    var params = filterParams();
    Object.keys(extra || {}).forEach(function (k) { if (extra[k] !== null && extra[k] !== undefined) { params.set(k, extra[k]); } });
    var q = params.toString();
    return base + (q ? "?" + q : "");
  }

  function getJSON(address) {
    return fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(address + ": " + r.status); } return r.json(); });
  }

  function bucketEnd(start, interval) {
    var p = start.split("-").map(Number);
    var d = new Date(Date.UTC(p[0], p[1] - 1, p[2]));
    if (interval === "week") { d.setUTCDate(d.getUTCDate() + 6); }
    if (interval === "month") { d = new Date(Date.UTC(p[0], p[1], 0)); }
    if (interval === "quarter") { d = new Date(Date.UTC(p[0], p[1] + 2, 0)); }
    return d.toISOString().slice(0, 10);
  }

  function go(base, params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) { q.set(k, params[k]); } });
    window.location.href = base + "?" + q.toString();
  }

  function feedbackLink(extra) {
    var f = filterParams();
    // Every dashboard filter travels along; the explorer applies those it has and names the rest.
    go(config.links.feedback, Object.assign({
      date_from: f.get("from"), date_to: f.get("to"), survey: f.get("survey"), channel: f.get("channel"),
      store: f.get("store"), region: f.get("region"), category: f.get("category"), segment: f.get("segment")
    }, extra));
  }

  function draw(id, spec, empty) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (charts[id]) { charts[id].destroy(); }
    var note = canvas.parentNode.querySelector(".dash-chart-empty");
    if (empty && !note) {
      note = document.createElement("p");
      note.className = "dash-chart-empty";
      note.textContent = L.empty;
      canvas.parentNode.appendChild(note);
    }
    if (note) { note.hidden = !empty; }
    spec.options = Object.assign({
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "nearest", intersect: false }
    }, spec.options || {});
    charts[id] = new window.Chart(canvas, spec);
  }

  function failed(id, error) {
    var canvas = document.getElementById(id);
    if (canvas) {
      var p = document.createElement("p");
      p.className = "dash-error";
      p.textContent = L.loadError;
      canvas.parentNode.appendChild(p);
    }
    if (window.console) { console.warn(error); }
  }

  function smallNote(n) { return n < SMALL ? " ⚠ " + L.small : ""; }

  /* Tiles ------------------------------------------------------------------------------ */
  var PERCENT = { csat: 1, retention_rate: 1, repurchase_rate: 1, resolution_rate: 1 };
  function tiles(data) {
    var box = document.getElementById("tiles");
    box.textContent = "";
    data.tiles.forEach(function (t) {
      var el = document.createElement("div");
      el.className = "dash-tile " + t.status;
      el.dataset.code = t.code;
      var unit = PERCENT[t.code] ? "%" : t.code === "first_response_time" ? " h" : "";
      var digits = t.code === "clv" ? 0 : 1;
      var status = L[t.status] || L.noData;
      el.innerHTML = '<div class="label"></div><div class="value"></div><div class="meta"></div>';
      el.querySelector(".label").textContent = t.label;
      // Rounded with unit and currency on the server (surveyhub/formatting.py), in the page's language.
      el.querySelector(".value").textContent = t.value === null ? L.noData : (t.value_text || num(t.value, digits) + unit);
      el.querySelector(".meta").textContent = L.target + " " + (t.target_text || num(t.target, digits) + unit) + " · " +
        L.change + " " + (t.change_text || (t.change === null ? "—" : (t.change > 0 ? "+" : "") + num(t.change, 1))) + " · " + status;
      box.appendChild(el);
    });
    if (data.source === "live") { box.title = L.live; }
  }

  /* Trends ----------------------------------------------------------------------------- */
  // A period that is still running, or that the date filter cuts, is partial: drawn dashed
  // and hollow and labelled, so a month of 17 answers is not read as a cliff.
  function isPartial(start, interval) {
    var f = filterParams(), end = bucketEnd(start, interval), today = new Date().toISOString().slice(0, 10);
    return end > today || (f.get("to") && end > f.get("to")) || (f.get("from") && start < f.get("from"));
  }

  function trend(id, metric, points, interval) {
    var partial = points.map(function (p) { return isPartial(p.start, interval); });
    var labels = points.map(function (p, i) { return p.period + (partial[i] ? " (" + L.partial + ")" : ""); });
    var datasets = [{
      label: L[metric], data: points.map(function (p) { return p.value; }),
      borderColor: COLORS.line, backgroundColor: COLORS.line, tension: 0.2,
      segment: { borderDash: function (ctx) { return partial[ctx.p0DataIndex] || partial[ctx.p1DataIndex] ? [6, 4] : undefined; } },
      pointBackgroundColor: points.map(function (p, i) { return partial[i] ? "#fff" : COLORS.line; }),
      pointStyle: points.map(function (p) { return p.n < SMALL ? "triangle" : "circle"; }),
      pointRadius: points.map(function (p) { return p.n < SMALL ? 6 : 3; })
    }];
    if (metric === "nps") {
      datasets.push({ label: L.ci, data: points.map(function (p) { return p.ci_high; }), borderWidth: 0, pointRadius: 0, fill: "+1", backgroundColor: COLORS.band });
      datasets.push({ label: L.ci + " ", data: points.map(function (p) { return p.ci_low; }), borderWidth: 0, pointRadius: 0, fill: false });
    }
    draw(id, {
      type: "line", data: { labels: labels, datasets: datasets },
      options: {
        plugins: {
          legend: { display: metric === "nps", labels: { filter: function (item) { return item.datasetIndex < 2; } } },
          tooltip: { callbacks: {
            label: labelWith(metric === "csat" ? pct : function (v) { return num(v, metric === "ces" ? 2 : 1); }),
            afterBody: function (items) { var p = points[items[0].dataIndex]; return L.n + " = " + num(p.n, 0) + smallNote(p.n); } } }
        },
        scales: { y: { ticks: { callback: function (v) { return metric === "csat" ? pct(v, 0) : num(v, 1); } } } },
        onClick: function (evt, elements) {
          if (!elements.length) { return; }
          var p = points[elements[0].index];
          feedbackLink({ date_from: p.start, date_to: bucketEnd(p.start, interval) });
        }
      }
    }, !points.length);
  }

  function distribution(data) {
    var groups = ["detractor", "passive", "promoter"];
    draw("chart-nps-distribution", {
      type: "bar",
      data: {
        labels: data.scores.map(function (s) { return String(s.score); }),
        datasets: groups.map(function (g) {
          return { label: L[g], backgroundColor: COLORS[g], data: data.scores.map(function (s) { return s.group === g ? s.count : 0; }) };
        })
      },
      options: {
        interaction: { mode: "index", intersect: true },
        plugins: { title: { display: true, text: L.n + " = " + num(data.n, 0) + smallNote(data.n) } },
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } },
        onClick: function (evt, elements) {
          if (!elements.length) { return; }
          var s = data.scores[elements[0].index];
          feedbackLink({ nps: String(s.score) });  // exactly who gave this score
        }
      }
    }, !data.n);
  }

  function sentiment(points, interval) {
    var kinds = ["positive", "neutral", "negative"];
    draw("chart-sentiment", {
      type: "bar",
      data: {
        labels: points.map(function (p) { return dateLabel(p.start); }),
        datasets: kinds.map(function (k) { return { label: L[k], backgroundColor: COLORS[k], data: points.map(function (p) { return p[k]; }) }; })
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } },
        plugins: { tooltip: { callbacks: { afterBody: function (items) { var p = points[items[0].dataIndex]; return L.n + " = " + num(p.n, 0) + smallNote(p.n); } } } },
        onClick: function (evt, elements) {
          if (!elements.length) { return; }
          var p = points[elements[0].index];
          feedbackLink({ sentiment: kinds[elements[0].datasetIndex], date_from: p.start, date_to: bucketEnd(p.start, interval) });
        }
      }
    }, !points.length);
  }

  function topics(rows) {
    draw("chart-topics", {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return (r.kind === "topic" ? L.topic : L.aspect) + ": " + r.name + (r.small_sample ? " ⚠" : ""); }),
        datasets: [{ label: L.impact, data: rows.map(function (r) { return r.impact; }),
          backgroundColor: rows.map(function (r) { return r.impact < 0 ? COLORS.detractor : COLORS.promoter; }) }]
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false }, tooltip: { callbacks: { afterBody: function (items) {
          var r = rows[items[0].dataIndex];
          return [L.mentions + ": " + num(r.mentions, 0) + smallNote(r.mentions), L.sentiment + ": " + num(r.sentiment, 2), L.negative + ": " + num(r.negative, 0)];
        } } } },
        onClick: function (evt, elements) {
          if (!elements.length) { return; }
          var r = rows[elements[0].index];
          feedbackLink(r.kind === "topic" ? { topic: r.key } : { aspect: r.key });
        }
      }
    }, !rows.length);
  }

  function rfm(data) {
    var segs = data.segments;
    draw("chart-rfm", {
      type: "bar",
      data: {
        labels: segs.map(function (s) { return s.name; }),
        datasets: [
          { label: L.customers, data: segs.map(function (s) { return s.customers; }), backgroundColor: COLORS.bar, yAxisID: "y" },
          { label: L.revenueShare, data: segs.map(function (s) { return s.revenue_share; }), backgroundColor: COLORS.accent, yAxisID: "y1" },
          { type: "line", label: L.nps, data: segs.map(function (s) { return s.nps.value; }), borderColor: COLORS.promoter, backgroundColor: COLORS.promoter, yAxisID: "y2",
            pointStyle: segs.map(function (s) { return s.nps.n < SMALL ? "triangle" : "circle"; }) }
        ]
      },
      options: {
        plugins: { tooltip: { callbacks: {
          label: function (ctx) { return ctx.dataset.label + ": " + (ctx.dataset.yAxisID === "y1" ? pct(ctx.parsed.y) : num(ctx.parsed.y, ctx.dataset.yAxisID === "y" ? 0 : 1)); },
          afterBody: function (items) { var s = segs[items[0].dataIndex]; return L.nps + " " + L.n + " = " + num(s.nps.n, 0) + smallNote(s.nps.n); } } } },
        scales: { y: { position: "left", ticks: { precision: 0 } }, y1: { position: "right", grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return pct(v, 0); } } }, y2: { display: false, min: -100, max: 100 } }
      }
    });
  }

  function matrix(data) {
    var groups = ["detractor", "passive", "promoter"];
    var tiers = ["high", "medium", "low"];
    draw("chart-matrix", {
      type: "bar",
      data: {
        labels: tiers.map(function (t) { return L[t]; }),
        datasets: groups.map(function (g) {
          return { label: L[g], backgroundColor: COLORS[g], data: tiers.map(function (t) {
            var cell = data.cells.filter(function (c) { return c.tier === t && c.group === g; })[0];
            return cell ? cell.customers : 0;
          }) };
        })
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } },
        onClick: function (evt, elements) {
          if (!elements.length) { return; }
          // The customer directory, filtered to exactly the customers this bar segment counts.
          go(config.links.customer, { value_tier: tiers[elements[0].index], nps_group: groups[elements[0].datasetIndex] });
        }
      }
    }, !data.cells.some(function (c) { return c.customers; }));
    var body = document.getElementById("hv-detractors");
    body.textContent = "";
    data.high_value_detractors.forEach(function (row) {
      var tr = document.createElement("tr");
      var name = document.createElement("td");
      var who = document.createElement("a");
      who.href = config.links.customer + row.customer + "/";  // the customer 360 page
      who.textContent = row.name || row.external_id || "#" + row.customer;
      name.appendChild(who);
      var clv = document.createElement("td");
      clv.textContent = row.clv_text;
      var score = document.createElement("td");
      score.textContent = row.nps_score;
      var cell = document.createElement("td");
      if (row.open_case) {
        var a = document.createElement("a");
        a.href = config.links.cases + row.open_case + "/";
        a.textContent = L.openCase + " #" + row.open_case;
        cell.appendChild(a);
      } else { cell.textContent = L.noCase; }
      [name, clv, score, cell].forEach(function (td) { tr.appendChild(td); });
      body.appendChild(tr);
    });
  }

  function service(data) {
    var box = document.getElementById("service-counts");
    box.textContent = "";
    [["backlog", "open"], ["overdue", "overdue"]].forEach(function (pair) {
      var a = document.createElement("a");
      a.className = "dash-tile " + (pair[0] === "overdue" && data.overdue ? "missed" : "met");
      a.href = config.links.cases + "?view=" + pair[1];
      a.dataset.code = pair[0];
      a.innerHTML = '<div class="label"></div><div class="value"></div>';
      a.querySelector(".label").textContent = L[pair[0]];
      a.querySelector(".value").textContent = num(data[pair[0]], 0);
      box.appendChild(a);
    });
    var pts = data.over_time;
    draw("chart-service", {
      type: "bar",
      data: {
        labels: pts.map(function (p) { return dateLabel(p.start); }),
        datasets: [
          { label: L.opened, data: pts.map(function (p) { return p.opened; }), backgroundColor: COLORS.bar, yAxisID: "y" },
          { label: L.resolved, data: pts.map(function (p) { return p.resolved; }), backgroundColor: COLORS.positive, yAxisID: "y" },
          { type: "line", label: L.sla, data: pts.map(function (p) { return p.sla_compliance; }), borderColor: COLORS.accent, backgroundColor: COLORS.accent, yAxisID: "y1",
            pointStyle: pts.map(function (p) { return p.small_sample ? "triangle" : "circle"; }) }
        ]
      },
      options: {
        plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + (ctx.dataset.yAxisID === "y1" ? pct(ctx.parsed.y) : num(ctx.parsed.y, 0)); } } } },
        scales: { y: { position: "left", ticks: { precision: 0 } }, y1: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return pct(v, 0); } } } },
        onClick: function (evt, elements) { if (elements.length) { go(config.links.cases, { view: "open" }); } }
      }
    }, !pts.length);
  }

  /* Loading ---------------------------------------------------------------------------- */
  function load() {
    root.dataset.ready = "0";
    Array.prototype.forEach.call(root.querySelectorAll(".dash-error"), function (el) { el.remove(); });
    var interval = filterParams().get("interval") || "month";
    var jobs = [
      getJSON(config.api.tiles).then(tiles).catch(function (e) { failed("tiles", e); }),
      getJSON(url(config.api["nps-distribution"])).then(distribution).catch(function (e) { failed("chart-nps-distribution", e); }),
      getJSON(url(config.api["sentiment-trend"])).then(function (d) { sentiment(d, interval); }).catch(function (e) { failed("chart-sentiment", e); }),
      getJSON(url(config.api.topics)).then(topics).catch(function (e) { failed("chart-topics", e); }),
      getJSON(url(config.api.service)).then(service).catch(function (e) { failed("chart-service", e); })
    ];
    ["nps", "csat", "ces"].forEach(function (metric) {
      jobs.push(getJSON(url(config.api.trend, { metric: metric })).then(function (d) { trend("chart-" + metric + "-trend", metric, d, interval); })
        .catch(function (e) { failed("chart-" + metric + "-trend", e); }));
    });
    if (document.getElementById("chart-rfm")) {
      jobs.push(getJSON(url(config.api.rfm, { as_of: config.rfmAsOf })).then(rfm).catch(function (e) { failed("chart-rfm", e); }));
      jobs.push(getJSON(url(config.api.matrix)).then(matrix).catch(function (e) { failed("chart-matrix", e); }));
    }
    return Promise.all(jobs).then(function () { root.dataset.ready = "1"; });
  }

  function apply() {
    var q = filterParams().toString();
    window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
    ["export-csv", "export-xlsx"].forEach(function (id) {
      var a = document.getElementById(id);
      a.href = a.href.split("?")[0] + (q ? "?" + q : "");
    });
    load();
  }

  // Filters apply on "Apply" only: changing two selects must not query every chart twice.
  form.addEventListener("submit", function (evt) { evt.preventDefault(); apply(); });
  load();
})();
