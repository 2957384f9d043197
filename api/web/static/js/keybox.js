// The API key box shared by the dispute pages: writes need an adjudicator key, kept in this browser only.

import { clear, getKey, h, setKey } from "./api.js";

/** Render the key box into `el`; returns nothing. The key is stored in localStorage and sent as X-API-Key. */
export function keyBox(el) {
  const input = h("input", { id: "api-key", type: "password", autocomplete: "off", placeholder: "dg_…",
    "aria-describedby": "api-key-hint", value: getKey() });
  const state = h("span", { id: "api-key-state", class: "hint", role: "status" });
  const show = () => { state.textContent = getKey() ? "已保存密钥（仅存于本浏览器）。" : "未填写密钥：只能查看，不能写入。"; };
  const save = h("button", { type: "submit", id: "api-key-save" }, "保存密钥");
  const forget = h("button", { type: "button", class: "secondary", onclick: () => { setKey(""); input.value = ""; show(); } }, "清除");
  const form = h("form", { class: "keybox", autocomplete: "off" },
    h("div", { class: "field" }, h("label", { for: "api-key" }, "API 密钥（写操作需要 adjudicator 角色）"), input),
    save, forget);
  form.addEventListener("submit", (e) => { e.preventDefault(); setKey(input.value.trim()); show(); });
  clear(el, form,
  h("p", { id: "api-key-hint", class: "hint" }, "由管理员用 dutygraph users add 姓名 --role adjudicator（审核人用 reviewer）生成。", " ", state));
  show();
}
