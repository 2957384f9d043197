// 争议案件 list: open a case (needs an adjudicator key), browse cases by ladder state, and the departments
// overdue with their answer to a decision.

import { api, clear, DISPUTE_STATE as STATE, h, jurName, problemBox, roleBadge } from "./api.js";
import { keyBox } from "./keybox.js";
import { fillPlaces } from "./places.js";

const form = document.getElementById("new-form");
const place = document.getElementById("d-place");
const matter = document.getElementById("d-matter");
const matterList = document.getElementById("d-matter-list");
const stateSel = document.getElementById("d-state");
const list = document.getElementById("d-list");

keyBox(document.getElementById("keybox"));

let timer;
matter.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const text = matter.value.trim();
    if (!text || text.startsWith("matter:")) return;
    try {
      const page = await api("/matters", { params: { q: text, limit: 12 } });
      clear(matterList, (page.items || []).map((m) => h("option", { value: m.id }, (m.path || [m.name]).join(" > "))));
    } catch { /* free text stays */ }
  }, 200);
});

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const problem = document.getElementById("new-problem");
  clear(problem);
  const body = {
    text: document.getElementById("d-text").value.trim(),
    title: document.getElementById("d-title").value.trim(),
    jurisdiction: place.value || null,
    matter: matter.value.trim() || null,
  };
  const button = document.getElementById("d-create");
  button.disabled = true;
  try {
    const d = await api("/disputes", { method: "POST", body });
    location.href = `/disputes/${encodeURIComponent(d.id)}`;
  } catch (err) {
    clear(problem, problemBox(err));
    problem.querySelector(".problem")?.setAttribute("tabindex", "-1");
    problem.querySelector(".problem")?.focus();
  } finally {
    button.disabled = false;
  }
});

stateSel.addEventListener("change", load);

async function load() {
  const problem = document.getElementById("list-problem");
  clear(problem);
  try {
    const page = await api("/disputes", { params: { state: stateSel.value, limit: 50 } });
    const items = page.items || [];
    clear(list, items.length ? items.map((d) => h("li", {},
      h("div", { class: "ev-head" },
        h("a", { href: `/disputes/${encodeURIComponent(d.id)}` }, d.title || d.id),
        h("span", { class: `tag ${d.state === "decided" || d.state === "fed_back" ? "good" : ""}` }, STATE[d.state] || d.state),
        h("span", { class: "contrib" }, jurName(d.jurisdiction), " · ", d.opened_at || "")))) : h("li", { class: "muted" }, "还没有案件。"));
  } catch (err) {
    clear(problem, problemBox(err));
  }
}

async function loadOverdue() {
  const box = document.getElementById("overdue");
  try {
    const page = await api("/disputes/overdue", { params: { limit: 50 } });
    const items = page.items || [];
    clear(box, items.length ? items.map((o) => h("li", { "data-department": o.department },
      h("div", { class: "ev-head" },
        h("a", { href: `/disputes/${encodeURIComponent(o.dispute)}` }, o.title),
        h("b", {}, o.name || o.department), roleBadge(o.role),
        h("span", { class: "tag bad" }, `截止 ${o.due}${o.estimated ? "（估算）" : ""}`),
        h("span", { class: "contrib" }, `裁决于 ${o.since} · 已超 ${o.working_days_late} 个工作日`)))) : h("li", { class: "muted" }, "没有逾期未答复的部门。"));
  } catch (err) {
    clear(document.getElementById("overdue-problem"), problemBox(err));
  }
}

fillPlaces(place);
load();
loadOverdue();
