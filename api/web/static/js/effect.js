// 裁决效果 (抓落实): a ruling's work orders before and after the decision — a table of the four figures (overall,
// per matter, per department) and a month-by-month chart drawn with Chart.js (from the npm registry, served
// locally at /static/vendor). Without the library the table still shows and the chart panel says so.

import { api, clear, h, problemBox } from "./api.js";
import { loadVendor } from "./vendor.js";

const pct = (v) => (v == null ? "—" : `${(v * 100).toFixed(1)}%`);
const num = (v, d = 2) => (v == null ? "—" : v.toFixed(d));

function figureRows(label, before, after) {
  return [
    h("tr", {}, h("th", { rowspan: "2", scope: "rowgroup" }, label), h("td", {}, "裁决前"), h("td", {}, String(before.orders)),
      h("td", {}, pct(before.first_to_lead)), h("td", {}, pct(before.returned)), h("td", {}, num(before.departments)),
      h("td", {}, num(before.days_to_close, 1))),
    h("tr", {}, h("td", {}, "裁决后"), h("td", {}, String(after.orders)), h("td", {}, pct(after.first_to_lead)),
      h("td", {}, pct(after.returned)), h("td", {}, num(after.departments)), h("td", {}, num(after.days_to_close, 1))),
  ];
}

function table(e) {
  const rows = [["全部", e.before.figures, e.after.figures]];
  if (e.by_matter.length > 1) rows.push(...e.by_matter.map((m) => [m.name, m.before, m.after]));
  return h("table", { class: "effect-table" },
    h("caption", {}, `裁决前后各 ${e.months} 个月（${e.before.since} 至 ${e.after.until}）的工单`),
    h("thead", {}, h("tr", {}, ...["范围", "时段", "工单", "首派牵头部门", "退单率", "平均流转部门数", "平均办结天数"]
      .map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.flatMap(([label, b, a]) => figureRows(label, b, a))));
}

function departments(e) {
  return h("table", { class: "effect-table" }, h("caption", {}, "各部门（裁决前 → 裁决后）"),
    h("thead", {}, h("tr", {}, ...["部门", "首派", "退回", "退回率", "最终承办"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...e.by_department.slice(0, 10).map((d) => h("tr", {},
      h("td", {}, d.name, d.lead ? h("b", {}, "（牵头）") : ""), h("td", {}, `${d.before.first} → ${d.after.first}`),
      h("td", {}, `${d.before.returned} → ${d.after.returned}`),
      h("td", {}, `${pct(d.before.return_rate)} → ${pct(d.after.return_rate)}`),
      h("td", {}, `${d.before.final} → ${d.after.final}`)))));
}

async function chart(canvas, note, e) {
  let Chart;
  try {
    Chart = await loadVendor("chart.umd.min.js", "Chart");
  } catch {
    note.textContent = "图表库未安装（npm ci --prefix api/web），仅显示表格。";
    return;
  }
  const months = e.series.map((m) => m.month);
  const decided = e.decided_on.slice(0, 7);
  new Chart(canvas, {
    data: {
      labels: months,
      datasets: [
        { type: "bar", label: "工单数", data: e.series.map((m) => m.orders), yAxisID: "n",
          backgroundColor: months.map((m) => (m < decided ? "#c9d3df" : "#9fc5b4")) },
        { type: "line", label: "首派牵头部门", data: e.series.map((m) => m.first_to_lead), yAxisID: "share",
          borderColor: "#0b6e4f", backgroundColor: "#0b6e4f", spanGaps: true },
        { type: "line", label: "退单率", data: e.series.map((m) => m.returned), yAxisID: "share",
          borderColor: "#b3261e", backgroundColor: "#b3261e", spanGaps: true },
      ],
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        share: { position: "left", min: 0, max: 1, ticks: { callback: (v) => `${Math.round(v * 100)}%` } },
        n: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "工单数" } },
      },
      plugins: { title: { display: true, text: `按月（裁决日 ${e.decided_on}：灰色为裁决前，绿色为裁决后）` } },
    },
  });
  note.textContent = "";
}

/** A card showing the effect of a ruling; loads itself. `months` on each side of the decision. */
export function effectPanel(rulingId, months = 12) {
  const body = h("div", {}, h("p", { class: "muted" }, "正在统计工单…"));
  const card = h("section", { class: "card effect", "aria-label": "裁决效果" }, h("h2", {}, "裁决效果（抓落实）"), body);
  api(`/rulings/${encodeURIComponent(rulingId)}/effect`, { params: { months } }).then((e) => {
    const canvas = h("canvas", { "aria-label": "按月工单数、首派牵头部门比例与退单率", role: "img" });
    const note = h("p", { class: "small muted" });
    clear(body,
      h("p", {}, h("b", {}, e.title), `（${e.decided_on}）牵头：${e.leads.map((x) => x.name).join("、") || "—"}；事项：`,
        e.matters.map((m) => m.name).join("、") || "—"),
      e.note ? h("p", { class: "muted" }, e.note) : null,
      table(e), h("div", { style: "position:relative;height:260px" }, canvas), note, departments(e));
    if (e.series.length) chart(canvas, note, e);
  }).catch((err) => clear(body, problemBox(err)));
  return card;
}
