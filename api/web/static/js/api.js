// Shared helpers for the pages: a safe DOM builder, the API client (problem+json aware), the API key,
// and the Chinese labels for the API's codes. No framework, no build step.

export const API = "/api/v1";
const KEY_STORE = "dutygraph.apiKey";

/** The Chinese labels for the API's codes (roles, graph relations, node labels, gap kinds, ruling status,
 * change-log actions), read once from /api/v1/vocabulary before any page code runs: the table is defined
 * once, in api/vocabulary.py, which the command line uses too. Without it a code is shown as it is. */
const VOCAB = await fetch(`${API}/vocabulary`, { headers: { Accept: "application/json" } })
  .then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
export const ROLE = VOCAB.roles || {};
export const RELATION = VOCAB.relations || {};
export const GAP_KIND = VOCAB.gap_kinds || {};
export const GAP_SUBKIND = VOCAB.gap_subkinds || {};
export const RULING_STATUS = VOCAB.ruling_status || {};
export const CHANGE_ACTION = VOCAB.change_actions || {};
const NODE = VOCAB.nodes || {};

// "HOLDS lead", "ACTS_AS(综合执法)", "Duty 名称": a code, then a role, a scope or a name (as api/vocabulary.py reads it)
const STEP = /^([A-Za-z_]+)(?:\((.*)\)|\s+(.*))?$/s;

/** One evidence-path step in Chinese (承担权责（牵头）, 权责事项 名称); a step it does not know stays as it is. */
export function pathStep(step) {
  const m = STEP.exec(String(step).trim());
  if (!m) return step;
  const [, code, scope, rest] = m;
  if (RELATION[code]) {
    const extra = scope !== undefined ? scope : rest ? ROLE[rest] || rest : "";
    return RELATION[code] + (extra ? `（${extra}）` : "");
  }
  if (NODE[code] && scope === undefined) return NODE[code] + (rest ? ` ${rest}` : "");
  return step;
}

/** An evidence path (the JSON keeps the graph's codes) as people read it. */
export const pathText = (path) => (path || []).map(pathStep).join(" → ");

/** Build an element: h("a", {href: "/x", class: "y"}, "text", child). Strings become text nodes (never HTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** An error answered by the API: status plus the RFC 9457 problem document (title, detail, errors). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function getKey() {
  try { return localStorage.getItem(KEY_STORE) || ""; } catch { return ""; }
}

export function setKey(key) {
  try {
    if (key) localStorage.setItem(KEY_STORE, key); else localStorage.removeItem(KEY_STORE);
  } catch { /* storage may be off; the key then lasts for this page only */ }
}

/** Call the API. params: query string (empty values dropped); body: JSON; the stored key goes with every call. */
export async function api(path, { method = "GET", params = null, body = undefined, signal } = {}) {
  const url = new URL(API + path, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
  }
  const headers = { Accept: "application/json, application/problem+json" };
  const key = getKey();
  if (key) headers["X-API-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, { title: "无法连接服务器", detail: String(err.message || err) });
  }
  const type = res.headers.get("content-type") || "";
  const data = type.includes("json") ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const problem = data && typeof data === "object" ? data : { title: res.statusText, detail: String(data || "") };
    throw new ApiError(res.status, problem);
  }
  return data;
}

const STATUS_HINT = {
  0: "请检查服务是否在运行。",
  401: "需要有效的 API 密钥：请在页面上方填写密钥后重试。",
  403: "当前密钥的角色无权执行此操作（写操作需要 adjudicator 或以上；审核需要 reviewer，重新办理需要 admin）。",
  404: "未找到。",
  422: "请求内容有误，请按下列字段修改。",
  503: "服务暂不可用（知识库或索引未就绪）。",
};

/** A readable box for an API error: the problem's title, its detail, each bad field, and what to do. */
export function problemBox(err) {
  const p = err instanceof ApiError ? err.problem : { title: "出错了", detail: String(err?.message || err) };
  const status = err instanceof ApiError ? err.status : "";
  const errors = Array.isArray(p.errors) ? p.errors : [];
  return h("div", { class: "problem", role: "alert" },
    h("strong", {}, `${status ? status + " · " : ""}${p.title || "请求失败"}`),
    p.detail ? h("div", { class: "detail" }, p.detail) : null,
    errors.length ? h("ul", { class: "errors" }, errors.map((e) => h("li", {}, h("code", {}, e.field || e.loc || ""), "：", e.message || e.msg || ""))) : null,
    STATUS_HINT[status] ? h("div", { class: "hint" }, STATUS_HINT[status]) : null);
}

export function roleBadge(role) {
  const known = ROLE[role];
  return h("span", { class: `role role-${known ? role : "other"}` }, known || role || "—");
}

export const EVIDENCE_KIND = {
  article: "法条", duty: "权责清单", mandate: "三定规定", mandate_clause: "三定条款", clause: "三定条款",
  boundary: "职责分工", matter: "事项", ruling: "本地裁决", precedent: "外地案例", workorder: "工单",
  work_order: "工单", named: "争议中点名",
};
export const kindLabel = (k) => EVIDENCE_KIND[k] || k || "依据";


export const LAW_STATUS_CLASS = { 现行有效: "good", 已修改: "warn", 已废止: "bad", 尚未生效: "warn" };
export function lawStatusTag(status) {
  if (!status) return null;
  const label = { in_force: "现行有效", amended: "已修改", repealed: "已废止" }[status] || status;
  return h("span", { class: `tag ${LAW_STATUS_CLASS[label] || ""}` }, label);
}

// The review ladder in order (cases.ladder), its moves, and a department's answer to a decision.
export const DISPUTE_STATE = VOCAB.dispute_states || {};
export const LADDER_STEP = VOCAB.ladder_steps || {};
export const ANSWER = VOCAB.answers || {};
export const STANCE = { claims: "认领（属于本部门）", refuses: "不认领", neutral: "中立", proposes: "建议由他部门负责" };


export function fmtScore(x, digits = 3) {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "—";
}

export function jurName(id) {
  // "jur:全国/山东省/潍坊市/鲁安市" -> "鲁安市"
  if (!id) return "";
  const s = String(id).replace(/^jur:/, "");
  return s.split("/").pop();
}

export function setStatus(el, text) {
  el.textContent = text || "";
}

/** Read ?a=b from the address bar. */
export const qs = (name) => new URLSearchParams(location.search).get(name) || "";

/** Save a file the API answers (.docx, .xlsx, .md): fetched with the stored key like api(), saved under the
 * name the server gives (Content-Disposition filename*, UTF-8). A problem answer throws an ApiError. */
export async function download(path, { method = "GET", params = null, body = undefined } = {}) {
  const url = new URL(API + path, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
  }
  const headers = {};
  if (getKey()) headers["X-API-Key"] = getKey();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(0, { title: "无法连接服务器", detail: String(err.message || err) });
  }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({ title: res.statusText })));
  const named = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get("content-disposition") || "");
  const name = named ? decodeURIComponent(named[1]) : path.split("/").pop();
  const href = URL.createObjectURL(await res.blob());
  const a = h("a", { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}

/** A button that saves a file: `request()` gives [path, options] for download() at the time of the click;
 * the button is disabled while the file is made, and a problem is shown in `problemEl`. */
export function saveOnClick(button, problemEl, request) {
  button.addEventListener("click", async () => {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "正在生成…";
    clear(problemEl);
    try {
      await download(...request());
    } catch (err) {
      clear(problemEl, problemBox(err));
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  });
}
