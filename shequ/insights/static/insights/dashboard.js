// Charts of the dashboard, fed from the same JSON as the cards and the table.
(function () {
  var el = document.getElementById("insights-data");
  if (!el || typeof echarts === "undefined") return;
  var fig = JSON.parse(el.textContent);
  var kids = fig.children;
  var names = kids.map(function (c) { return c.name; });
  var on = fig.on;
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
  var grid = { left: 50, right: 20, top: 30, bottom: many ? 90 : 60 };
  var xCat = { type: "category", data: names,
               axisLabel: { interval: many ? "auto" : 0, rotate: names.length > 4 ? 30 : 0 } };
  var zoom = many ? [{ type: "slider", start: 0, end: Math.min(100, 2000 / names.length), bottom: 5 }, { type: "inside" }] : [];
  var q = chart("chart-quota", {
    tooltip: { trigger: "axis" }, legend: { data: ["在岗", "核定员额", "测算员额"] }, grid: grid, xAxis: xCat, yAxis: { type: "value" }, dataZoom: zoom,
    series: [
      { name: "在岗", type: "bar", data: kids.map(function (c) { return c.headcount; }) },
      { name: "核定员额", type: "bar", data: kids.map(function (c) { return c.quota; }) },
      { name: "测算员额", type: "bar", data: kids.map(function (c) { return c.computed_quota; }) }
    ]
  });
  drillable(q);
  var r = chart("chart-ratio", {
    tooltip: { trigger: "axis" }, grid: grid, xAxis: xCat, yAxis: { type: "value", name: "人/万人" }, dataZoom: zoom,
    series: [{ name: "每万城镇常住人口配比", type: "bar", data: kids.map(function (c) { return c.per_10k; }),
               label: { show: !many, position: "top" } }]
  });
  drillable(r);
  var t = fig.total;
  chart("chart-age", {
    tooltip: {}, grid: grid, xAxis: { type: "category", data: fig.age_bands }, yAxis: { type: "value", name: "人" },
    series: [{ type: "bar", data: fig.age_bands.map(function (b) { return t.age_bands[b]; }), label: { show: true, position: "top" } }]
  });
  chart("chart-edu", {
    tooltip: { trigger: "item" }, legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["35%", "65%"], data: fig.educations.map(function (e) { return { name: e, value: t.education[e] }; })
      .filter(function (d) { return d.value > 0; }), label: { formatter: "{b} {d}%" } }]
  });
  chart("chart-pay", {
    tooltip: {}, grid: grid, xAxis: { type: "category", data: fig.components }, yAxis: { type: "value", name: "元" },
    series: [{ type: "bar", data: fig.components.map(function (c) { return t.components[c]; }), label: { show: true, position: "top" } }]
  });
  var ce = chart("chart-cert", {
    tooltip: { trigger: "axis" }, grid: grid, xAxis: xCat, yAxis: { type: "value", max: 100 }, dataZoom: zoom,
    series: [{ name: "持证占比", type: "bar", data: kids.map(function (c) { return c.certified_share; }) }]
  });
  drillable(ce);
})();
