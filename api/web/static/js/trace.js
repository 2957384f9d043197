// 审计追溯: pick a matter (and optionally a department) → supporting paths, the change-log timeline, integrity.

import { api, CHANGE_ACTION, clear, h, problemBox, qs, RELATION, ROLE, roleBadge } from "./api.js";
import { effectPanel } from "./effect.js";
import { openArticle, openEvidence } from "./evidence.js";

const form = document.getElementById("trace-form");
const mq = document.getElementById("matter-q");
const suggest = document.getElementById("matter-suggest");
const dept = document.getElementById("dept");
const deptList = document.getElementById("dept-list");
const asOf = document.getElementById("trace-as-of");
const statusEl = document.getElementById("trace-status");
const problemEl = document.getElementById("trace-problem");
const result = document.getElementById("trace-result");

let chosen = null; // {id, label} of the matter picked from the list
let timer;

mq.addEventListener("input", () => {
  chosen = null;
  clearTimeout(timer);
  timer = setTimeout(findMatters, 200);
});
mq.addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown" && !suggest.hidden) {
    e.preventDefault();
    suggest.querySelector("button")?.focus();
  } else if (e.key === "Escape") closeSuggest();
});
suggest.addEventListener("keydown", (e) => {
  const buttons = [...suggest.querySelectorAll("button")];
  const i = buttons.indexOf(document.activeElement);
  if (e.key === "ArrowDown") { e.preventDefault(); buttons[Math.min(i + 1, buttons.length - 1)]?.focus(); }
  if (e.key === "ArrowUp") { e.preventDefault(); (i <= 0 ? mq : buttons[i - 1]).focus(); }
  if (e.key === "Escape") { closeSuggest(); mq.focus(); }
});

function closeSuggest() {
  suggest.hidden = true;
  mq.setAttribute("aria-expanded", "false");
}

async function findMatters() {
  const text = mq.value.trim();
  if (!text) return closeSuggest();
  try {
    const page = await api("/matters", { params: { q: text, limit: 12 } });
    const items = page.items || [];
    clear(suggest, items.map((m) => h("li", { role: "option" }, h("button", { type: "button", dataset: { id: m.id },
      onclick: () => pick(m) }, (m.path || [m.name]).join(" > ")))));
    suggest.hidden = !items.length;
    mq.setAttribute("aria-expanded", String(!suggest.hidden));
    clear(problemEl);
  } catch (err) {
    closeSuggest();
    clear(problemEl, problemBox(err)); // say why the list is empty instead of showing nothing
  }
}

function pick(m) {
  chosen = { id: m.id, label: (m.path || [m.name]).join(" > ") };
  mq.value = chosen.label;
  closeSuggest();
  mq.focus();
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  closeSuggest();
  run();
});

async function run() {
  const matter = chosen?.id || mq.value.trim().split(" > ").pop();
  clear(problemEl);
  if (!matter) return;
  statusEl.textContent = "正在追溯…";
  const url = new URL(location.href);
  url.search = new URLSearchParams(Object.entries({ matter, department: dept.value.trim(), as_of: asOf.value })
    .filter(([, v]) => v)).toString();
  history.replaceState(null, "", url);
  try {
    const t = await api("/trace", { params: { matter, department: dept.value.trim(), as_of: asOf.value } });
    render(t);
    statusEl.textContent = `${t.paths.length} 条依据路径，${t.timeline.length} 条变更记录。`;
  } catch (err) {
    statusEl.textContent = "";
    result.hidden = true;
    clear(problemEl, problemBox(err));
  }
}

function render(t) {
  result.hidden = false;
  const names = new Map(t.paths.map((p) => [p.department, p.department_name]));
  document.getElementById("trace-title").textContent =
    `${t.target_kind === "Duty" ? "权责事项" : "事项"}：${t.name}${t.department ? `（${names.get(t.department) || t.department}）` : ""} · 截至 ${t.as_of}`;
  const ig = t.integrity || {};
  clear(document.getElementById("integrity"), ig.ok
    ? h("div", { class: "ok-box", id: "integrity-status" }, `变更日志完整：共 ${ig.entries} 条，哈希链校验通过（链头 #${ig.head_seq}）。`)
    : h("div", { class: "problem", id: "integrity-status", role: "alert" }, h("strong", {}, "变更日志校验未通过"),
      h("ul", {}, (ig.problems || []).map((p) => h("li", {}, p)))));
  const current = t.paths.filter((p) => p.in_force).length;
  document.getElementById("paths-title").textContent = `依据路径（现行 ${current} / 共 ${t.paths.length}）`;
  clear(document.getElementById("paths"), t.paths.length ? t.paths.map(path) : h("li", { class: "muted" }, "没有找到依据路径。"));
  clear(document.getElementById("timeline"), t.timeline.length
    ? t.timeline.map((e) => entry(e, names)) : h("li", { class: "muted" }, "变更日志中没有相关记录。"));
  // the effect of the rulings behind the assignment (newest first): did their work orders stop bouncing?
  const rulings = [...new Set(t.paths.filter((p) => p.source?.startsWith("ruling:"))
    .sort((a, b) => String(b.decided_on || "").localeCompare(String(a.decided_on || ""))).map((p) => p.source))];
  clear(document.getElementById("trace-effect"), rulings.slice(0, 2).map((r) => effectPanel(r)));
}

const PATH_KIND = { ruling: "裁决", duty_list: "权责清单", other: "其他" };

function path(p) {
  const cites = p.citations || [];
  return h("li", { class: p.in_force ? "in" : "out" },
    h("div", { class: "ev-head" },
      h("span", { class: `tag ${p.in_force ? "good" : "bad"}` }, p.in_force ? "现行" : "已失效"),
      h("span", { class: "kind" }, PATH_KIND[p.kind] || p.kind),
      h("b", {}, p.department_name), roleBadge(p.role),
      h("span", { class: "contrib" }, `${p.valid_from || "?"} 至 ${p.valid_to || "今"}`)),
    p.title ? h("div", {}, p.source?.startsWith("ruling:")
      ? h("button", { type: "button", class: "link", onclick: () => openEvidence({ unit: p.source, citation: p.title, kind: "ruling" }) }, p.title)
      : p.title) : null,
    h("div", { class: "small muted" },
      p.decided_by ? `决定：${p.decided_by}${p.decided_on ? "，" + p.decided_on : ""}；` : "",
      `来源：${p.source}${p.locator ? " · " + p.locator : ""}；录入：${p.asserted_by || "—"}`),
    p.principles?.length ? h("div", { class: "small" }, "原则：", p.principles.join("、")) : null,
    cites.length ? h("div", { class: "small" }, "引用：", cites.map((c) => {
      const id = c.id || c.article || "";
      const label = c.title || c.law_title ? `${c.title || c.law_title}${c.number ? " 第" + c.number + "条" : ""}` : id;
      return /^law:.+#/.test(id)
        ? h("button", { type: "button", class: "link", style: "margin-right:8px", onclick: () => openArticle(id) }, label)
        : h("span", { style: "margin-right:8px" }, label);
    })) : null,
    p.duties?.length ? h("div", { class: "small" }, "权责事项：", p.duties.map((d) => d.name || d.code || d.id).join("、")) : null,
    p.superseded_by?.length ? h("div", { class: "note" }, "已被取代：", p.superseded_by.map((s) => s.title || s.id).join("、")) : null);
}


function entry(e, names) {
  const who = (id) => names.get(id) || id;
  return h("li", {},
    h("time", { datetime: e.at }, e.at.replace("T", " ").slice(0, 19)),
    h("b", {}, CHANGE_ACTION[e.action] || e.action), " ", RELATION[e.rel_type] || e.rel_type, " ",
    e.role ? h("span", {}, `（${ROLE[e.role] || e.role}）`) : null,
    h("div", { class: "small" }, who(e.src), " → ", who(e.dst)),
    h("div", { class: "small muted" },
      `有效期 ${e.valid_from || "?"} 至 ${e.valid_to || "今"} · 操作者 ${e.actor}${e.source ? " · 来源 " + e.source : ""} · #${e.seq}`));
}

(async () => {
  try {
    const page = await api("/departments", { params: { limit: 200 } });
    deptList.append(...(page.items || []).map((d) => h("option", { value: d.name })));
  } catch { /* the department box still takes free text */ }
  if (qs("as_of")) asOf.value = qs("as_of");
  if (qs("department")) dept.value = qs("department");
  if (qs("matter")) {
    chosen = { id: qs("matter"), label: qs("matter").replace(/^matter:/, "").split("/").join(" > ") };
    mq.value = chosen.label;
    run();
  }
})();
