// One dispute case: the record, positions, the system's proposal, the decision and the history.

import { api, clear, DISPUTE_STATE, fmtScore, h, jurName, problemBox, roleBadge, STANCE } from "./api.js";
import { keyBox } from "./keybox.js";

const id = decodeURIComponent(location.pathname.replace(/^\/disputes\//, ""));
const $ = (x) => document.getElementById(x);
let current = null;

keyBox($("keybox"));

async function load() {
  try {
    render(await api(`/disputes/${encodeURIComponent(id)}`));
  } catch (err) {
    clear($("case-problem"), problemBox(err));
  }
}

function render(d) {
  current = d;
  document.title = `${d.title} · 争议案件`;
  $("case-title").textContent = d.title || d.id;
  clear($("case-meta"), h("p", { class: "small" },
    h("span", { class: `tag ${d.state === "decided" ? "good" : ""}`, id: "case-state" }, DISPUTE_STATE[d.state] || d.state), " ",
    `${jurName(d.jurisdiction)} · 登记于 ${d.opened_at || "—"} · `, h("code", {}, d.id),
    d.matter ? [" · 事项：", h("a", { href: `/trace?matter=${encodeURIComponent(d.matter.id)}` }, d.matter.name || d.matter.id)] : null));
  $("case-text").textContent = d.text;
  const parties = d.parties || [];
  clear($("parties"), parties.length ? parties.map((p) => h("li", { class: p.until ? "muted" : "" },
    h("div", { class: "ev-head" }, h("b", {}, p.name), h("span", { class: "tag" }, STANCE[p.stance] || p.stance),
      p.until ? h("span", { class: "tag warn" }, "已被新意见替代") : null,
      h("span", { class: "contrib" }, `${p.since || ""} · 记录人 ${p.asserted_by}`)),
    p.position ? h("div", { class: "small" }, p.position) : null)) : h("li", { class: "muted" }, "尚未记录任何一方的意见。"));
  renderProposal(d);
  renderDecision(d);
  clear($("history"), (d.history || []).map((e) => h("li", {},
    h("time", { datetime: e.at }, e.at.replace("T", " ").slice(0, 19)),
    h("b", {}, ACTION[e.action] || e.action), ` · ${e.actor}`,
    h("div", { class: "small muted" }, e.what, " ", e.dst ? `→ ${e.dst}` : ""))));
  const closed = d.state === "decided" || d.state === "closed";
  for (const f of ["pos-form", "dec-form"]) $(f).hidden = closed;
  $("propose").hidden = closed;
}

const ACTION = { open: "登记", position: "记录意见", propose: "附上建议", decide: "裁决", assert: "写入", supersede: "截止" };

function renderProposal(d) {
  const p = d.proposal;
  if (!p) return clear($("proposal"), h("p", { class: "muted" }, "尚未附上系统建议。"));
  clear($("proposal"), h("p", { class: "hint" }, `生成于 ${(d.proposal_at || "").replace("T", " ").replace(/\+00:00$/, " UTC")}（截至 ${p.as_of || ""} 的知识库）`),
    h("ol", { class: "candidates" }, (p.candidates || []).slice(0, 6).map((c) => h("li", { class: "candidate" },
      h("div", { class: "cand-head" }, h("span", { class: "name" }, c.name), roleBadge(c.role),
        h("span", { class: "score" }, "得分 ", fmtScore(c.score)))))),
    (p.rulings || []).length ? h("p", { class: "small" }, "类似裁决：", p.rulings.slice(0, 3).map((r) => r.title).join("；")) : null);
}

function renderDecision(d) {
  const x = d.decision;
  if (!x) return clear($("decision"), h("p", { class: "muted" }, "尚未裁决。"));
  clear($("decision"), h("div", { class: "ok-box", id: "decision-box" },
    h("b", {}, x.title), h("div", { class: "small" }, `${x.decided_by || ""} · ${x.decided_on || ""}`),
    h("p", {}, x.summary),
    h("div", {}, x.assigns.map((a) => h("span", { style: "margin-right:10px" }, a.name || a.department, " ", roleBadge(a.role)))),
    x.principles?.length ? h("div", { class: "small" }, "原则：", x.principles.join("、")) : null,
    h("div", { class: "small" }, h("a", { href: d.matter ? `/trace?matter=${encodeURIComponent(d.matter.id)}` : "/trace" }, "审计追溯 →"))));
}

function formError(el, err) {
  clear(el, problemBox(err));
  const box = el.querySelector(".problem");
  box?.setAttribute("tabindex", "-1");
  box?.focus();
}

$("pos-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  clear($("pos-problem"));
  try {
    render(await api(`/disputes/${encodeURIComponent(id)}/positions`, { method: "POST", body: {
      department: $("p-dept").value.trim(), stance: $("p-stance").value, position: $("p-text").value.trim() } }));
    $("p-dept").value = ""; $("p-text").value = "";
    $("p-dept").focus();
  } catch (err) {
    formError($("pos-problem"), err);
  }
});

$("propose").addEventListener("click", async () => {
  clear($("prop-problem"));
  $("propose").disabled = true;
  $("propose").textContent = "正在生成…";
  try {
    render(await api(`/disputes/${encodeURIComponent(id)}/proposal`, { method: "POST" }));
  } catch (err) {
    formError($("prop-problem"), err);
  } finally {
    $("propose").disabled = false;
    $("propose").textContent = "附上系统建议";
  }
});

$("dec-fill").addEventListener("click", () => {
  const cands = (current?.proposal?.candidates || []).filter((c) => c.kind !== "authority" && c.id?.startsWith("dept:"));
  const by = (role, n) => cands.filter((c) => c.role === role).slice(0, n).map((c) => c.name).join("、");
  $("dec-lead").value = by("lead", 1);
  $("dec-coop").value = by("cooperate", 4);
  $("dec-summary").value ||= $("dec-lead").value ? `由${$("dec-lead").value}牵头负责${$("dec-coop").value ? "，" + $("dec-coop").value + "按职责配合" : ""}。` : "";
  $("dec-lead").focus();
});

const split = (s) => s.split(/[、，,;；\n]+/).map((x) => x.trim()).filter(Boolean);

$("dec-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  clear($("dec-problem"));
  const body = {
    lead: split($("dec-lead").value), cooperate: split($("dec-coop").value), territorial: split($("dec-terr").value),
    principle: $("dec-principle").value.trim() || null, basis: split($("dec-basis").value),
    summary: $("dec-summary").value.trim(), decided_by: $("dec-by").value.trim(), decided_on: $("dec-on").value || null,
  };
  try {
    render(await api(`/disputes/${encodeURIComponent(id)}/decision`, { method: "POST", body }));
    $("decision-box")?.scrollIntoView({ block: "center" });
  } catch (err) {
    formError($("dec-problem"), err);
  }
});

(async () => {
  await load();
  try {
    const page = await api("/departments", { params: { q: "", jurisdiction: current?.jurisdiction, limit: 200 } });
    $("dept-list").append(...(page.items || []).map((x) => h("option", { value: x.name })));
  } catch { /* free text */ }
})();
