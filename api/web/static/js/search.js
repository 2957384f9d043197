// 检索: a dispute → candidate owners with their evidence chains, analogous rulings, articles, evidence graph.

import { api, clear, fmtScore, h, jurName, kindLabel, pathText, problemBox, qs, roleBadge, RULING_STATUS } from "./api.js";
import { download, saveOnClick } from "./api.js";
import { openArticle, openEvidence } from "./evidence.js";
import { drawEvidenceGraph } from "./graph.js";
import { fillPlaces } from "./places.js";

const form = document.getElementById("ask-form");
const q = document.getElementById("q");
const place = document.getElementById("place");
const asOf = document.getElementById("as-of");
const statusEl = document.getElementById("ask-status");
const problemEl = document.getElementById("ask-problem");
const results = document.getElementById("results");
const button = document.getElementById("ask-submit");

let inflight;
let asked = null; // the last question answered, for the spreadsheet export
saveOnClick(document.getElementById("ask-xlsx"), document.getElementById("export-problem"),
  () => ["/ask.xlsx", { method: "POST", body: asked }]);

q.addEventListener("keydown", (e) => {
  // Enter submits; Shift+Enter is a new line; an IME still composing keeps its Enter.
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    form.requestSubmit();
  }
});

form.addEventListener("submit", (e) => {
  e.preventDefault();
  run();
});

async function run() {
  const text = q.value.trim();
  clear(problemEl);
  if (text.length < 2) {
    clear(problemEl, problemBox(new Error("请至少输入两个字的争议描述。")));
    q.focus();
    return;
  }
  inflight?.abort();
  inflight = new AbortController();
  const body = { text, jurisdiction: place.value || null, as_of: asOf.value || null, top: 10 };
  const url = new URL(location.href);
  url.search = new URLSearchParams(Object.entries({ q: text, place: place.value, as_of: asOf.value })
    .filter(([, v]) => v)).toString();
  history.replaceState(null, "", url);
  statusEl.textContent = "正在检索…";
  button.disabled = true;
  const t0 = performance.now();
  try {
    const data = await api("/ask", { method: "POST", body, signal: inflight.signal });
    render(data);
    asked = body;
    const ms = Math.round(performance.now() - t0);
    statusEl.textContent = `找到 ${data.candidates.length} 个候选部门、${data.rulings.length} 件类似裁决（${jurName(data.jurisdiction_name || data.jurisdiction)}，截至 ${data.as_of}，${ms} 毫秒）。` + (data.place_note ? ` ${data.place_note}。` : "");
  } catch (err) {
    if (err.name === "AbortError") return;
    statusEl.textContent = "";
    results.hidden = true;
    clear(problemEl, problemBox(err));
  } finally {
    button.disabled = false;
  }
}

function render(data) {
  results.hidden = false;
  const asp = data.aspects || [];
  document.getElementById("aspects-card").hidden = asp.length === 0;
  clear(document.getElementById("aspects"), asp.map(aspect));
  const cands = data.candidates || [];
  const top = Math.max(...cands.map((c) => c.score || 0), 1e-9);
  clear(document.getElementById("candidates"),
    cands.length ? cands.map((c, i) => candidate(c, i, top)) : h("li", { class: "muted" }, "没有找到候选部门。"));
  const rul = data.rulings || [];
  const rulList = document.getElementById("rulings");
  const SHOWN = 6;
  clear(rulList, rul.length ? rul.slice(0, SHOWN).map(ruling) : h("li", { class: "muted" }, "没有类似裁决。"));
  if (rul.length > SHOWN) {
    const more = h("li", {}, h("button", { type: "button", class: "secondary", onclick: () => {
      more.remove();
      rulList.append(...rul.slice(SHOWN).map(ruling));
      rulList.children[SHOWN]?.querySelector("button")?.focus();
    } }, `显示其余 ${rul.length - SHOWN} 件`));
    rulList.append(more);
  }
  const arts = data.articles || [];
  clear(document.getElementById("articles"), arts.length ? arts.slice(0, 8).map(article) : h("li", { class: "muted" }, "没有检索到法条。"));
  drawEvidenceGraph(document.getElementById("graph"), data, {
    note: document.getElementById("graph-note"),
    legend: document.getElementById("graph-legend"),
    onArticle: (id, title) => openArticle(id, title),
  });
}

function aspect(a, i) {
  const names = (ps) => (ps || []).map((p) => p.name).join("、");
  return h("tr", {},
    h("td", {}, String(i + 1)), h("td", {}, a.name), h("td", {}, a.text), h("td", {}, names(a.lead)),
    h("td", {}, ...(a.cooperating || []).map((p) => h("div", {}, p.task ? `${p.name}（${p.task}）` : p.name))),
    h("td", {}, names(a.territorial)),
    h("td", {}, ...(a.articles || []).slice(0, 2).map((b) => h("div", {}, `《${b.law_title}》第${b.article}条`))));
}

function candidate(c, i, top) {
  const ev = c.evidence || [];
  const pct = Math.max(2, Math.round((100 * (c.score || 0)) / top));
  return h("li", { class: "candidate", dataset: { id: c.id || "" } },
    h("div", { class: "cand-head" },
      h("span", { class: "rank" }, `${i + 1}.`),
      h("span", { class: "name" }, c.name),
      roleBadge(c.role),
      c.kind === "authority" ? h("span", { class: "tag" }, "主管部门（抽象）") : null,
      c.named_in_dispute ? h("span", { class: "tag warn" }, "争议中点名") : null,
      c.id?.startsWith("dept:") ? h("button", { type: "button", class: "link small", title: "下载该部门的权责清单（Excel）",
        onclick: () => download("/duties.xlsx", { params: { department: c.id } }).catch((err) =>
          clear(document.getElementById("export-problem"), problemBox(err))) }, "权责清单") : null,
      h("span", { class: "score", title: "得分：各条证据贡献之和" },
        h("span", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width:${pct}%` })),
        h("span", {}, "得分 ", fmtScore(c.score)))),
    h("details", { class: "chain" },
      h("summary", {}, `证据链（${ev.length} 条）`),
      h("ol", { class: "evidence" }, ev.map(evidenceItem))));
}

function evidenceItem(e) {
  const snippet = (e.text || "").length > 160 ? e.text.slice(0, 160) + "…" : e.text || "";
  return h("li", {},
    h("div", { class: "ev-head" },
      h("span", { class: "kind" }, kindLabel(e.kind)),
      h("button", { type: "button", class: "link citation", onclick: () => openEvidence(e),
        title: "查看原文、效力状态和版本" }, e.citation || e.unit || "依据"),
      e.role ? roleBadge(e.role) : null,
      h("span", { class: "contrib", title: "这条证据对得分的贡献" }, "贡献 +", fmtScore(e.contribution))),
    snippet ? h("p", { class: "snippet" }, snippet) : null,
    e.path?.length ? h("div", { class: "path" }, pathText(e.path)) : null,
    e.note ? h("div", { class: "note" }, e.note) : null);
}

function ruling(r) {
  const names = (xs) => (xs || []).join("、");
  const why = Array.isArray(r.why) ? r.why : r.why ? [r.why] : [];
  return h("li", { class: "ruling" },
    h("div", { class: "ev-head" },
      r.home ? h("span", { class: "tag home" }, "本地") : h("span", { class: "tag" }, jurName(r.jurisdiction) || "外地"),
      h("button", { type: "button", class: "link", onclick: () => openEvidence({ unit: r.id, citation: r.title, kind: "ruling" }) }, r.title),
      r.status && r.status !== "in_force" ? h("span", { class: "tag bad" }, RULING_STATUS[r.status] || r.status) : null,
      h("span", { class: "contrib" }, "相似度 ", fmtScore(r.similarity, 2))),
    h("div", { class: "small" },
      r.lead?.length ? ["牵头：", h("b", {}, names(r.lead))] : null,
      r.cooperate?.length ? `；配合：${names(r.cooperate)}` : null,
      r.decided_on ? ` · ${r.decided_on}` : null),
    r.principle ? h("div", { class: "small" }, "原则：", r.principle) : null,
    why.length ? h("p", { class: "why" }, "相似理由：", why.join("；")) : null);
}

function article(a) {
  return h("li", {},
    h("div", { class: "ev-head" },
      h("button", { type: "button", class: "link", onclick: () => openArticle(a.id, a.law_title) },
        `${a.law_title} 第${a.article}条`),
      a.valid === false ? h("span", { class: "tag bad" }, "已失效") : null,
      h("span", { class: "contrib" }, "相关度 ", fmtScore(a.score, 2))),
    h("p", { class: "snippet" }, (a.text || "").slice(0, 90), (a.text || "").length > 90 ? "…" : ""));
}

// Start: the place list, then any search in the address (a shared link).
(async () => {
  await fillPlaces(place, { wanted: qs("place") });
  if (qs("as_of")) asOf.value = qs("as_of");
  if (qs("q")) {
    q.value = qs("q");
    run();
  } else {
    q.focus();
  }
})();
