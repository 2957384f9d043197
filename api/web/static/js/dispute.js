// One dispute case: the record, its review ladder (研判 → 审核 → 协调 → 裁决 → 反馈), positions, the system's
// proposal, the decision, the assigned departments' acknowledgements and the history.

import { effectPanel } from "./effect.js";
import { ANSWER, api, clear, DISPUTE_STATE, fmtScore, h, jurName, LADDER_STEP, problemBox, roleBadge, STANCE } from "./api.js";
import { saveOnClick } from "./api.js";
import { keyBox } from "./keybox.js";

const id = decodeURIComponent(location.pathname.replace(/^\/disputes\//, ""));
const $ = (x) => document.getElementById(x);
let current = null;

keyBox($("keybox"));
for (const format of ["docx", "md"]) {
  saveOnClick($(`doc-${format}`), $("doc-problem"), () => [`/disputes/${encodeURIComponent(id)}/document`, { params: { format } }]);
}

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
    h("span", { class: `tag ${DONE.has(d.state) ? "good" : ""}`, id: "case-state" }, DISPUTE_STATE[d.state] || d.state), " ",
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
  renderLadder(d);
  renderFollowUp(d);
  clear($("history"), (d.history || []).map((e) => h("li", { class: e.action === "transition" ? "move" : "" },
    h("time", { datetime: e.at }, e.at.replace("T", " ").slice(0, 19)),
    h("b", {}, ACTION[e.action] || e.action), ` · ${e.actor}`,
    h("div", { class: "small muted" }, ...detail(e)))));
  $("pos-form").hidden = !["researching", "coordinating"].includes(d.state);
  $("propose").hidden = d.state !== "researching";
  $("dec-form").hidden = d.state !== "coordinating";
}

const DONE = new Set(["decided", "fed_back"]);
const ACTION = { open: "登记", position: "记录意见", propose: "附上建议", decide: "裁决", assert: "写入", supersede: "截止",
  transition: "流转", acknowledge: "部门答复" };

function detail(e) {
  const p = e.payload || {};
  if (e.action === "transition") {
    return [`${DISPUTE_STATE[p.from] || p.from} → ${DISPUTE_STATE[p.to] || p.to}`, p.reason ? h("span", { class: "reason" }, `：${p.reason}`) : ""];
  }
  if (e.action === "acknowledge") {
    const name = (current?.decision?.assigns || []).find((a) => a.department === p.department)?.name || p.department;
    return [`${name}：${ANSWER[p.answer] || p.answer}`, p.reason ? `（${p.reason}）` : ""];
  }
  return [e.what, " ", e.dst ? `→ ${e.dst}` : ""];
}

function renderLadder(d) {
  const order = Object.keys(DISPUTE_STATE);
  const at = order.indexOf(d.state);
  clear($("ladder"), order.map((s, i) => [i ? " → " : "", h("span", {
    class: `tag ${i === at ? "home" : i < at ? "good" : ""}`, "data-state": s, "aria-current": i === at ? "step" : null,
  }, DISPUTE_STATE[s])]).flat());
  const steps = (d.next_steps || []).filter((s) => !s.via);
  clear($("step-buttons"), steps.map((s) => h("button", {
    type: "button", class: s.action === "submit" || s.action === "approve" ? "" : "secondary", "data-to": s.to,
    "data-action": s.action, onclick: () => move(s.to),
  }, s.action === "reopen" ? `${LADDER_STEP.reopen}（${DISPUTE_STATE[s.to]}）` : LADDER_STEP[s.action] || s.action)));
  const via = (d.next_steps || []).find((s) => s.via);
  $("step-hint").textContent = [
    steps.length ? `可执行：${steps.map((s) => `${LADDER_STEP[s.action] || s.action}（${s.role}${s.reason_required ? "，需填写理由" : ""}）`).join("；")}` : "",
    via?.via === "decision" ? "在下方记录裁决后进入“裁决”。" : "",
    via?.via === "acknowledgements" ? "全部承办部门接受后自动进入“反馈”。" : "",
  ].filter(Boolean).join(" ");
  $("step-box").hidden = !steps.length && !via;
}

async function move(to) {
  clear($("ladder-problem"));
  try {
    render(await api(`/disputes/${encodeURIComponent(id)}/transitions`, { method: "POST", body: { to, reason: $("t-reason").value.trim() } }));
    $("t-reason").value = "";
  } catch (err) {
    formError($("ladder-problem"), err);
  }
}

function renderFollowUp(d) {
  const f = d.follow_up;
  $("follow-card").hidden = !f;
  if (!f) return;
  clear($("follow-up"), h("p", { class: "small", id: "follow-due" },
    `裁决日期 ${f.since}，${f.limit_days} 个工作日内答复，截止 ${f.due}`, f.estimated ? "（该年节假日数据缺失，按周一至周五估算）" : ""),
  h("ul", { class: "positions", id: "follow-list" }, f.departments.map((x) => h("li", { "data-department": x.department },
    h("div", { class: "ev-head" }, h("b", {}, x.name || x.department), roleBadge(x.role),
      x.answer ? h("span", { class: `tag ${x.answer === "accepted" ? "good" : "warn"}` }, ANSWER[x.answer])
        : h("span", { class: `tag ${x.overdue ? "bad" : ""}` }, x.overdue ? "已逾期" : "待答复"),
      x.at ? h("span", { class: "contrib" }, `${x.at.slice(0, 10)} · 记录人 ${x.recorded_by}`) : null),
    x.reason ? h("div", { class: "small" }, x.reason) : null))));
  clear($("a-dept"), f.departments.map((x) => h("option", { value: x.department }, x.name || x.department)));
  $("ack-form").hidden = d.state !== "decided";
}

$("ack-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  clear($("ack-problem"));
  try {
    render(await api(`/disputes/${encodeURIComponent(id)}/acknowledgements`, { method: "POST", body: {
      department: $("a-dept").value, answer: $("a-answer").value, reason: $("a-reason").value.trim() } }));
    $("a-reason").value = "";
  } catch (err) {
    formError($("ack-problem"), err);
  }
});

function renderProposal(d) {
  const p = d.proposal;
  if (!p) return clear($("proposal"), h("p", { class: "muted" }, "尚未附上系统建议。"));
  clear($("proposal"), h("p", { class: "hint" }, `生成于 ${(d.proposal_at || "").replace("T", " ").replace(/\+00:00$/, " UTC")}（截至 ${p.as_of || ""} 的知识库）`),
    h("ol", { class: "candidates" }, (p.candidates || []).slice(0, 6).map((c) => h("li", { class: "candidate" },
      h("div", { class: "cand-head" }, h("span", { class: "name" }, c.name), roleBadge(c.role),
        h("span", { class: "score" }, "得分 ", fmtScore(c.score)))))),
    (p.rulings || []).length ? h("p", { class: "small" }, "类似裁决：", p.rulings.slice(0, 3).map((r) => r.title).join("；")) : null,
    (p.aspects || []).length ? h("table", { class: "aspects", id: "proposal-aspects" },
      h("thead", {}, h("tr", {}, ["事项", "说法", "牵头", "配合（任务）"].map((t) => h("th", {}, t)))),
      h("tbody", {}, p.aspects.map((a) => h("tr", {}, h("td", {}, a.name), h("td", {}, a.text),
        h("td", {}, (a.lead || []).map((x) => x.name).join("、")),
        h("td", {}, ...(a.cooperating || []).map((x) => h("div", {}, x.task ? `${x.name}（${x.task}）` : x.name))))))) : null);
}

// 问题拆分 on the case page: the system's split as editable rows (name, words); merged, split or renamed here,
// they replace the automatic split when the proposal is attached.
function aspectRow(a = { name: "", text: "" }) {
  const row = h("tr", {},
    h("td", {}, h("input", { type: "checkbox", "aria-label": "选择此事项" })),
    h("td", {}, h("input", { type: "text", class: "asp-name", maxlength: "60", value: a.name, "aria-label": "事项名称" })),
    h("td", {}, h("input", { type: "text", class: "asp-text", maxlength: "1000", value: a.text, "aria-label": "争议中的说法" })),
    h("td", {}, h("button", { type: "button", class: "secondary", onclick: () => row.remove() }, "删除")));
  return row;
}

function aspectRows() {
  return [...$("asp-rows").querySelectorAll("tr")].map((r) => ({
    name: r.querySelector(".asp-name").value.trim(), text: r.querySelector(".asp-text").value.trim(),
  })).filter((a) => a.name && a.text.length >= 2);
}

$("asp-preview").addEventListener("click", async () => {
  clear($("prop-problem"));
  try {
    const a = await api("/ask", { method: "POST", body: { text: current.text, jurisdiction: current.jurisdiction, top: 5 } });
    const found = a.aspects || [];
    clear($("asp-rows"), found.length ? found.map((x) => aspectRow({ name: x.name, text: x.text }))
      : [aspectRow({ name: "（一个事项）", text: current.text })]);
    $("asp-note").textContent = found.length ? `系统拆出 ${found.length} 个事项，可合并、拆开或改名。`
      : "系统认为这起争议只涉及一个事项；可以添加事项把它拆开。";
  } catch (err) {
    formError($("prop-problem"), err);
  }
});

$("asp-add").addEventListener("click", () => {
  $("asp-rows").append(aspectRow());
  $("asp-rows").lastElementChild.querySelector(".asp-name").focus();
});

$("asp-merge").addEventListener("click", () => {
  const picked = [...$("asp-rows").querySelectorAll("tr")].filter((r) => r.querySelector("input[type=checkbox]").checked);
  if (picked.length < 2) return;
  const [first, ...rest] = picked;
  first.querySelector(".asp-text").value = picked.map((r) => r.querySelector(".asp-text").value.trim()).filter(Boolean).join("；");
  first.querySelector("input[type=checkbox]").checked = false;
  rest.forEach((r) => r.remove());
});

function renderDecision(d) {
  const x = d.decision;
  if (!x) return clear($("decision"), h("p", { class: "muted" }, "尚未裁决。"));
  clear($("decision"), h("div", { class: "ok-box", id: "decision-box" },
    h("b", {}, x.title), h("div", { class: "small" }, `${x.decided_by || ""} · ${x.decided_on || ""}`),
    h("p", {}, x.summary),
    h("div", {}, x.assigns.map((a) => h("span", { style: "margin-right:10px" }, a.name || a.department, " ", roleBadge(a.role)))),
    x.principles?.length ? h("div", { class: "small" }, "原则：", x.principles.join("、")) : null,
    h("div", { class: "small" }, h("a", { href: d.matter ? `/trace?matter=${encodeURIComponent(d.matter.id)}` : "/trace" }, "审计追溯 →"))),
    effectPanel(x.ruling));
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
    const aspects = aspectRows();
    render(await api(`/disputes/${encodeURIComponent(id)}/proposal`,
      aspects.length >= 2 ? { method: "POST", body: { aspects } } : { method: "POST" }));
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
