// Charts of the dashboard, fed from the same JSON as the cards and the table.
(function () {
  var el = document.getElementById("insights-data");
  if (!el || typeof echarts === "undefined") return;
  var fig = JSON.parse(el.textContent);
  var kids = fig.children;
  var names = kids.map(function (c) { return c.name; });
  var on = fig.on;
  // Numbers as a clerk writes them: 5,259,310 on bars and in tooltips; axes short (526万).
  function fmt(v, digits) {
    if (v === null || v === undefined || v === "") return "—";
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: digits === undefined ? 1 : digits });
  }
  function short(v) {
    var a = Math.abs(v);
    if (a >= 1e8) return fmt(v / 1e8, 2) + "亿";
    if (a >= 1e4) return fmt(v / 1e4, 1) + "万";
    return fmt(v);
  }
  function barLabel(position, suffix, small) {
    return { show: true, position: position || "top", fontSize: small ? 9 : 11,
             formatter: function (p) { return fmt(p.value) + (suffix || ""); } };
  }
  // A phone's chart is ~370 px wide: three bars a unit leave no room for 11 px labels.
  var narrow = window.innerWidth < 600;
  var valueAxis = { type: "value", axisLabel: { formatter: short, hideOverlap: true } };
  function withAxis(extra) { return Object.assign({}, valueAxis, extra); }
  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node) return null;
    var c = echarts.init(node, null, { renderer: "svg" });
    option.animation = false;
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  function drill(index) {
    var c = kids[index];
    if (c && c.drillable) window.location.search = "?unit=" + c.unit_id + "&on=" + on;
  }
  // A click anywhere over a unit's column drills down, not only on a (maybe tiny) bar.
  function drillable(chart) {
    if (!chart) return;
    chart.getZr().on("click", function (ev) {
      var p = [ev.offsetX, ev.offsetY];
      if (!chart.containPixel("grid", p)) return;
      drill(chart.convertFromPixel({ seriesIndex: 0 }, p)[0]);
    });
  }
  // Hundreds of child units (a city's streets): scroll 20 at a time, no labels on bars.
  var many = names.length > 20;
  // containLabel: the axis labels are measured, never cut at the chart's edge.
  var grid = { left: 8, right: 16, top: 36, bottom: many ? 60 : 8, containLabel: true };
  var xCat = { type: "category", data: names,
               axisLabel: { interval: many ? "auto" : 0, rotate: names.length > 4 ? 30 : 0 } };
  var zoom = many ? [{ type: "slider", start: 0, end: Math.min(100, 2000 / names.length), bottom: 5 }, { type: "inside" }] : [];
  var q = chart("chart-quota", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + " 人"; } },
    legend: { data: ["在岗", "核定员额", "测算员额"] }, grid: grid, xAxis: xCat, yAxis: withAxis({ name: "人" }), dataZoom: zoom,
    series: [
      { name: "在岗", type: "bar", barGap: "8%", data: kids.map(function (c) { return c.headcount; }), label: many ? undefined : barLabel("top", "", narrow) },
      { name: "核定员额", type: "bar", barGap: "8%", data: kids.map(function (c) { return c.quota; }), label: many ? undefined : barLabel("top", "", narrow) },
      { name: "测算员额", type: "bar", barGap: "8%", data: kids.map(function (c) { return c.computed_quota; }), label: many ? undefined : barLabel("top", "", narrow) }
    ]
  });
  drillable(q);
  var r = chart("chart-ratio", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + " 人/万人"; } },
    grid: grid, xAxis: xCat, yAxis: withAxis({ name: "人/万人" }), dataZoom: zoom,
    series: [{ name: "每万城镇常住人口配比", type: "bar", data: kids.map(function (c) { return c.per_10k; }),
               label: many ? undefined : barLabel() }]
  });
  drillable(r);
  var t = fig.total;
  chart("chart-age", {
    tooltip: { valueFormatter: function (v) { return fmt(v) + " 人"; } }, grid: grid,
    xAxis: { type: "category", data: fig.age_bands, axisLabel: { interval: 0 } }, yAxis: withAxis({ name: "人" }),
    series: [{ name: "人数", type: "bar", data: fig.age_bands.map(function (b) { return t.age_bands[b]; }), label: barLabel() }]
  });
  chart("chart-edu", {
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["35%", "65%"], data: fig.educations.map(function (e) { return { name: e, value: t.education[e] }; })
      .filter(function (d) { return d.value > 0; }), label: { formatter: "{b} {d}%" } }],
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + fmt(p.value) + " 人（" + p.percent + "%）"; } }
  });
  chart("chart-pay", {
    // Lying bars: component names read whole on the left, full amounts fit at the bars' ends.
    tooltip: { valueFormatter: function (v) { return fmt(v, 2) + " 元"; } },
    grid: { left: 8, right: 90, top: 8, bottom: 24, containLabel: true },
    yAxis: { type: "category", data: fig.components, inverse: true, axisLabel: { interval: 0 } },
    xAxis: withAxis({ name: "元", nameLocation: "end", splitNumber: narrow ? 2 : 4 }),
    series: [{ name: "月合计", type: "bar", data: fig.components.map(function (c) { return t.components[c]; }),
               label: { show: true, position: "right", fontSize: 11, formatter: function (p) { return fmt(p.value, 0); } } }]
  });
  var ce = chart("chart-cert", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + "%"; } }, grid: grid, xAxis: xCat,
    yAxis: withAxis({ max: 100, axisLabel: { formatter: "{value}%" } }), dataZoom: zoom,
    series: [{ name: "持证占比", type: "bar", data: kids.map(function (c) { return c.certified_share; }),
               label: many ? undefined : barLabel("top", "%") }]
  });
  drillable(ce);
})();
