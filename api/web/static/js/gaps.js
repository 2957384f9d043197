// 空白发现: counts per kind (clickable filters), then the paged list with why, figures, suggestion and links.

import { api, clear, fmtScore, GAP_KIND, GAP_SUBKIND, h, problemBox, qs, roleBadge } from "./api.js";
import { saveOnClick } from "./api.js";
import { openArticle } from "./evidence.js";
import { fillPlaces } from "./places.js";

const LIMIT = 10;
const form = document.getElementById("gap-form");
const kindSel = document.getElementById("gap-kind");
const place = document.getElementById("gap-place");
const asOf = document.getElementById("gap-as-of");
const statusEl = document.getElementById("gap-status");
const problemEl = document.getElementById("gap-problem");
const list = document.getElementById("gap-list");
const counts = document.getElementById("gap-counts");
const prev = document.getElementById("gap-prev");
const next = document.getElementById("gap-next");
const range = document.getElementById("gap-range");

let offset = 0;
let summary = null;

kindSel.append(...Object.entries(GAP_KIND).map(([k, l]) => h("option", { value: k }, l)));

form.addEventListener("submit", (e) => {
  e.preventDefault();
  offset = 0;
  load(true);
});
kindSel.addEventListener("change", () => { offset = 0; load(false); });
prev.addEventListener("click", () => { offset = Math.max(0, offset - LIMIT); load(false); });
next.addEventListener("click", () => { offset += LIMIT; load(false); });

saveOnClick(document.getElementById("gap-xlsx"), problemEl, () => ["/gaps.xlsx", { params: { ...filters(), kind: kindSel.value } }]);

function filters() {
  return { jurisdiction: place.value, as_of: asOf.value };
}

async function load(withSummary) {
  clear(problemEl);
  statusEl.textContent = "正在分析…（首次计算可能需要几秒）";
  const url = new URL(location.href);
  url.search = new URLSearchParams(Object.entries({ kind: kindSel.value, place: place.value, as_of: asOf.value })
    .filter(([, v]) => v)).toString();
  history.replaceState(null, "", url);
  try {
    if (withSummary || !summary) {
      summary = await api("/gaps/summary", { params: filters() });
    }
    renderCounts();
    const page = await api("/gaps", { params: { ...filters(), kind: kindSel.value, limit: LIMIT, offset } });
    renderList(page);
    const label = kindSel.value ? GAP_KIND[kindSel.value] : "全部类型";
    statusEl.textContent = `${label}：共 ${page.total} 项（截至 ${summary.as_of}）。`;
  } catch (err) {
    statusEl.textContent = "";
    clear(problemEl, problemBox(err));
  }
}

function renderCounts() {
  const c = summary?.counts || {};
  const all = h("button", { type: "button", class: "count", "aria-pressed": String(!kindSel.value),
    onclick: () => { kindSel.value = ""; offset = 0; load(false); } }, h("b", {}, summary?.total ?? 0), "全部");
  clear(counts, all, Object.entries(GAP_KIND).map(([k, l]) => h("button", {
    type: "button", class: "count", dataset: { kind: k }, "aria-pressed": String(kindSel.value === k),
    title: `影响合计 ${fmtScore(summary?.impact?.[k] ?? 0, 0)}`,
    onclick: () => { kindSel.value = k; offset = 0; load(false); },
  }, h("b", {}, c[k] ?? 0), l)));
}

function renderList(page) {
  const items = page.items || [];
  clear(list, items.length ? items.map((g, i) => gapItem(g, page.offset + i + 1)) : h("li", { class: "muted" }, "没有发现此类问题。"));
  prev.disabled = page.offset <= 0;
  next.disabled = page.next_offset === null || page.next_offset === undefined;
  range.textContent = page.total ? `第 ${page.offset + 1}–${page.offset + items.length} 项，共 ${page.total} 项` : "";
}

// finer kinds (GapItem.subkind; an overlap may have two, comma-separated)
const subkindText = (s) => (s ? s.split(",").map((k) => GAP_SUBKIND[k] || k).join("、") : "");

const REF_LABEL = { departments: "部门", duties: "权责事项", articles: "法条", laws: "法规", rulings: "裁决", matters: "事项",
  work_orders: "工单", nearest_duties: "最接近的权责事项", authorities: "主管部门", sources: "来源" };

function gapItem(g, n) {
  const cands = g.candidates || [];
  const refs = Object.entries(g.refs || {}).filter(([, v]) => v?.length);
  return h("li", { class: "candidate gap", dataset: { kind: g.kind } },
    h("div", { class: "cand-head" },
      h("span", { class: "rank" }, `${n}.`),
      h("span", { class: "tag" }, GAP_KIND[g.kind] || g.kind),
      g.subkind ? h("span", { class: "tag subkind" }, subkindText(g.subkind)) : null,
      h("span", { class: "name" }, g.title),
      h("span", { class: "score", title: g.impact_note || "" }, "影响 ", h("b", {}, fmtScore(g.impact, 0)))),
    h("p", { class: "snippet" }, g.why),
    g.impact_note ? h("div", { class: "path" }, "影响：", g.impact_note) : null,
    g.next_step ? h("div", { class: "small" }, h("b", {}, "建议："), g.next_step) : null,
    cands.length ? h("div", { class: "small" }, h("b", {}, "建议责任部门："),
      cands.slice(0, 5).map((c) => h("span", { style: "margin-right:10px;white-space:nowrap" }, c.name, " ", roleBadge(c.role),
        ` ${fmtScore(c.score, 2)}`))) : null,
    h("div", { class: "small" },
      g.matter ? h("a", { href: `/trace?matter=${encodeURIComponent(g.matter)}` }, "追溯此事项 →") : null),
    h("details", {},
      h("summary", {}, "依据与数据"),
      refs.length ? h("dl", { class: "meta small" }, refs.map(([k, ids]) => [h("dt", {}, REF_LABEL[k] || k),
        h("dd", {}, ids.slice(0, 12).map((id) => /^law:.+#/.test(id)
          ? h("button", { type: "button", class: "link", style: "margin-right:8px", onclick: () => openArticle(id) }, id)
          : h("code", { style: "margin-right:8px" }, id)), ids.length > 12 ? `… 共 ${ids.length} 个` : "")])) : null,
      h("pre", { class: "article-text small" }, JSON.stringify(g.data, null, 1))));
}

(async () => {
  await fillPlaces(place, { withAll: true, wanted: qs("place") });
  if (qs("kind")) kindSel.value = qs("kind");
  if (qs("as_of")) asOf.value = qs("as_of");
  load(true);
})();
