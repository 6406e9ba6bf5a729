/* The "五个一批" funnel: how many projects have reached each stage. */
(function () {
  "use strict";
  var el = document.getElementById("funnel-chart");
  if (!el || typeof echarts === "undefined") { return; }
  var rows = JSON.parse(el.dataset.chart);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "item", formatter: "{b}：{c}个" },
    series: [{
      type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "20%",
      label: { formatter: "{b} {c}" },
      data: rows.map(function (r) { return { name: r[0], value: r[1] }; })
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
