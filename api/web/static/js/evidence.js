// The source dialog: what a citation points at — an article's text with its status and version, a ruling,
// or the unit's own text — so an adjudicator can check every figure against its source.

import { api, ApiError, clear, h, jurName, kindLabel, lawStatusTag, pathText, problemBox, RULING_STATUS } from "./api.js";

let dialog, titleEl, bodyEl, opener;

function ensureDialog() {
  if (dialog) return;
  titleEl = h("h2", { id: "src-title" }, "依据");
  bodyEl = h("div", { class: "dlg-body", id: "src-body" });
  const close = h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, "关闭");
  dialog = h("dialog", { id: "source-dialog", "aria-labelledby": "src-title" },
    h("div", { class: "dlg-head" }, titleEl, close), bodyEl);
  dialog.addEventListener("close", () => opener?.focus?.());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
  document.body.append(dialog);
}

function show(title) {
  ensureDialog();
  opener = document.activeElement;
  titleEl.textContent = title;
  clear(bodyEl, h("p", { class: "muted" }, "正在读取…"));
  if (!dialog.open) dialog.showModal();
}

const articleIdOf = (ev) => (ev?.unit && /^law:.+#/.test(ev.unit) ? ev.unit : null);

/** Open the dialog for one evidence item of a candidate. */
export async function openEvidence(ev) {
  show(ev.citation || kindLabel(ev.kind));
  const parts = [];
  const aid = articleIdOf(ev);
  if (aid) {
    parts.push(await articleBlock(aid));
  } else if (ev.unit && ev.unit.startsWith("ruling:")) {
    parts.push(await rulingBlock(ev.unit));
  } else if (ev.unit && ev.unit.startsWith("duty:")) {
    parts.push(unitBlock(ev), await dutyArticles(ev));
  } else {
    parts.push(unitBlock(ev));
    if (ev.law_title && ev.article) parts.push(await articleByTitle(ev.law_title, ev.article));
  }
  clear(bodyEl, parts);
}

/** Open the dialog for an article id such as "law:…#第12条". */
export async function openArticle(id, title = "法条") {
  show(title);
  clear(bodyEl, await articleBlock(id));
}

function unitBlock(ev) {
  return h("section", {},
    h("dl", { class: "meta" },
      h("dt", {}, "类型"), h("dd", {}, kindLabel(ev.kind)),
      ev.source ? [h("dt", {}, "来源"), h("dd", {}, ev.source)] : null,
      ev.path?.length ? [h("dt", {}, "推理路径"), h("dd", { class: "ev-path" }, pathText(ev.path))] : null),
    h("div", { class: "article-text" }, ev.text || "（无正文）"));
}

async function opened(path) {
  // One resource the dialog shows: its JSON, or the problem box to show in its place when the read fails.
  try {
    return { found: await api(path) };
  } catch (err) {
    return { problem: problemBox(err) };
  }
}

async function articleBlock(id) {
  const { found: a, problem } = await opened(`/articles/${encodeURIComponent(id)}`);
  if (problem) return problem;
  const law = a.law && typeof a.law === "object" ? a.law : {};
  const title = a.law_title || law.title || "";
  const number = a.number ?? a.article ?? "";
  const status = a.law_status || a.status || law.status;
  const version = a.law_version || a.version || law.version;
  const versions = a.other_versions || a.versions || [];
  law.level ??= a.law_level;
  law.effective ??= a.law_effective;
  return h("section", { class: "article", "data-article": id },
    h("h3", {}, title, number ? ` 第${String(number).replace(/^第|条$/g, "")}条` : ""),
    h("dl", { class: "meta" },
      h("dt", {}, "效力状态"), h("dd", { class: "law-status" }, lawStatusTag(status) || "未知"),
      h("dt", {}, "版本"), h("dd", { class: "law-version" }, version || "—"),
      a.chapter || law.level ? [h("dt", {}, "位置"), h("dd", {}, [law.level, a.chapter, a.section].filter(Boolean).join(" · "))] : null,
      law.effective || a.effective ? [h("dt", {}, "施行日期"), h("dd", {}, law.effective || a.effective)] : null),
    h("div", { class: "article-text" }, a.text || "（无正文）"),
    versions.length ? h("div", {},
      h("h3", { style: "margin-top:12px" }, "其他版本"),
      h("ul", { class: "versions" }, versions.map((v) => h("li", {},
        v.id && v.id !== id
          ? h("button", { type: "button", class: "link", onclick: () => openArticle(v.id, v.law_title || title) },
            v.version || v.id)
          : (v.version || v.id || ""),
        " ", lawStatusTag(v.status), v.effective ? ` 施行 ${v.effective}` : "")))) : null);
}

async function dutyArticles(ev) {
  // A duty-list row rests on articles (BASED_ON): show each with its status, so a lapsed basis is visible.
  try {
    const d = await api(`/duties/${encodeURIComponent(ev.unit)}`);
    const arts = (d.articles || []).slice(0, 3);
    if (!arts.length) return ev.law_title && ev.article ? articleByTitle(ev.law_title, ev.article) : h("span");
    return h("div", { style: "margin-top:12px" }, h("p", { class: "muted small" }, "依据条文："),
      await Promise.all(arts.map((a) => articleBlock(a.id))));
  } catch (err) {
    return ev.law_title && ev.article ? articleByTitle(ev.law_title, ev.article) : problemBox(err);
  }
}

async function articleByTitle(lawTitle, number) {
  // A duty-list row names its basis by title and number: find the law, then read the article.
  try {
    const found = await api("/laws", { params: { q: lawTitle, limit: 5 } });
    const laws = Array.isArray(found) ? found : found?.items || [];
    const law = laws.find((l) => l.title === lawTitle) || laws[0];
    if (!law) return h("p", { class: "muted" }, `依据：${lawTitle} 第${number}条（知识库中未找到该法规）`);
    return h("div", { style: "margin-top:12px" }, h("p", { class: "muted small" }, "依据条文："),
      await articleBlock(`${law.id}#第${number}条`));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return h("p", { class: "muted" }, `依据：${lawTitle} 第${number}条`);
    return problemBox(err);
  }
}

async function rulingBlock(id) {
  const { found: r, problem } = await opened(`/rulings/${encodeURIComponent(id)}`);
  if (problem) return problem;
  const names = (xs) => (xs || []).map((x) => (typeof x === "string" ? x : x.name || x.id)).join("、");
  return h("section", {},
    h("h3", {}, r.title || id),
    h("dl", { class: "meta" },
      h("dt", {}, "地区"), h("dd", {}, jurName(r.jurisdiction_name || r.jurisdiction)),
      h("dt", {}, "决定日期"), h("dd", {}, r.decided_on || "—"),
      r.decided_by ? [h("dt", {}, "决定机关"), h("dd", {}, r.decided_by)] : null,
      h("dt", {}, "状态"), h("dd", {}, RULING_STATUS[r.status] || r.status || "—"),
      r.lead ? [h("dt", {}, "牵头"), h("dd", {}, names(r.lead))] : null,
      r.cooperate?.length ? [h("dt", {}, "配合"), h("dd", {}, names(r.cooperate))] : null,
      r.principles?.length || r.principle ? [h("dt", {}, "原则"), h("dd", {}, names(r.principles) || r.principle)] : null),
    h("div", { class: "article-text" }, r.text || r.summary || "（无正文）"));
}
