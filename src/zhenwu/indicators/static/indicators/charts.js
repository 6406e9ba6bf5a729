/* Indicator charts, drawn with the vendored ECharts from data the page carries in data-chart. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }

  // Good is green whichever way an indicator points: a short bar of accidents is good news.
  var STATUS_COLORS = { ahead: "#1e7b34", behind: "#b3261e" };

  // ECharts leaves a gap only at "-": a month without a value must not be drawn as if it had one.
  function gaps(values) { return values.map(function (v) { return v == null ? "-" : v; }); }

  function progressChart(el) {
    var rows = JSON.parse(el.dataset.chart).slice().reverse();
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: ["占全年任务", "序时进度"] },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [
        { name: "占全年任务", type: "bar", itemStyle: { color: "#1f5fa8" },
          data: rows.map(function (r) {
            var color = STATUS_COLORS[r.status];
            return color ? { value: r.completion, itemStyle: { color: color } } : r.completion;
          }) },
        { name: "序时进度", type: "bar", data: rows.map(function (r) { return r.time_progress; }), itemStyle: { color: "#c9ced6" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function trendChart(el) {
    var data = JSON.parse(el.dataset.chart);
    var year = parseInt(el.dataset.year, 10);
    var months = []; for (var m = 1; m <= 12; m++) { months.push(m + "月"); }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [year + "年", (year - 1) + "年"] },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value" },
      series: [
        { name: year + "年", type: "line", connectNulls: false, data: gaps(data.this_year), itemStyle: { color: "#b3261e" } },
        { name: (year - 1) + "年", type: "line", connectNulls: false, data: gaps(data.last_year), lineStyle: { type: "dashed" }, itemStyle: { color: "#5b6470" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var progress = document.getElementById("progress-chart");
  if (progress) { progressChart(progress); }
  var trend = document.getElementById("trend-chart");
  if (trend) { trendChart(trend); }
}());
