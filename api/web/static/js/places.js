// The place pickers (地区): every page's jurisdiction <select>, filled from /api/v1/jurisdictions as a tree.
// Places come depth-first from the top (全国 → 山东省 → 潍坊市 → 鲁安市 → its towns), each indented by its
// depth, so a user sees which town belongs to which city. Plain <option>s, so the keyboard and screen
// readers work as with any <select>; the level in the text (（县）, （乡镇）) says the depth aloud too.

import { api, clear, h, jurName } from "./api.js";

const INDENT = "\u3000"; // full-width space: not collapsed in an <option>'s text, one CJK character wide
const BRANCH = "└ ";

// Without /jurisdictions (no key yet where reading needs one, or an older server): the sample's chain.
const FALLBACK = ["全国", "全国/山东省", "全国/山东省/潍坊市", "全国/山东省/潍坊市/鲁安市"]
  .map((p) => ({ id: `jur:${p}`, name: p.split("/").pop() }));

/** The places in depth-first order with their depth. A place's parent is its `parent`, or, from a server
 * that sends none, the nearest listed place its id path lies under; children keep the list's (id) order.
 * A place whose parent is not listed starts a tree of its own, so none is ever dropped. */
export function placeTree(items) {
  const byId = new Map(items.map((j) => [j.id, j]));
  const parentOf = (j) => {
    if (j.parent !== undefined) return byId.has(j.parent) && j.parent !== j.id ? j.parent : null;
    const parts = String(j.id).split("/");
    for (let n = parts.length - 1; n > 0; n--) {
      const up = parts.slice(0, n).join("/");
      if (byId.has(up)) return up;
    }
    return null;
  };
  const kids = new Map();
  const roots = [];
  for (const j of items) {
    const p = parentOf(j);
    if (p === null) roots.push(j);
    else if (kids.has(p)) kids.get(p).push(j);
    else kids.set(p, [j]);
  }
  const out = [];
  const seen = new Set();
  const walk = (j, depth) => {
    if (seen.has(j.id)) return;
    seen.add(j.id);
    out.push({ ...j, depth });
    for (const c of kids.get(j.id) || []) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  for (const j of items) walk(j, 0); // a parent cycle (bad data) still lists its places
  return out;
}

/** An option's text: the name indented by depth, with its level where that adds something (鲁安市（县）). */
export function placeLabel(place) {
  const name = place.name || jurName(place.id);
  const level = place.level && place.level !== name ? `（${place.level}）` : "";
  const indent = place.depth > 0 ? INDENT.repeat(place.depth - 1) + BRANCH : "";
  return indent + name + level;
}

/** Fill a place <select> as a tree; option values are place ids. The selection is `wanted` (an id or a
 * name, from a shared link) when the list has it, else what the select held (its page's default), else
 * `preferred`; with `withAll` a first option 全部 (value "") stands for every place and is the fallback. */
export async function fillPlaces(select, { withAll = false, preferred = "鲁安市", wanted = "" } = {}) {
  let items = [];
  try {
    const data = await api("/jurisdictions");
    items = (Array.isArray(data) ? data : data?.items || []).filter((j) => j && j.id);
  } catch {
    items = [];
  }
  const places = placeTree(items.length ? items : FALLBACK);
  const held = select.value;
  clear(select, withAll ? h("option", { value: "" }, "全部") : null,
    places.map((p) => h("option",
      { value: p.id, title: pathName(p.id), dataset: { name: p.name || jurName(p.id), depth: p.depth } },
      placeLabel(p))));
  for (const want of [wanted, held, withAll ? "" : preferred]) {
    if (want && choosePlace(select, want)) return;
  }
}

/** Select the option whose id is `want`, else the highest one named `want`; false when there is none. */
export function choosePlace(select, want) {
  const opts = [...select.options];
  const named = opts.filter((o) => o.value && o.dataset.name === want);
  const hit = opts.find((o) => o.value === want) || named.sort((a, b) => a.dataset.depth - b.dataset.depth)[0];
  if (hit) select.value = hit.value;
  return Boolean(hit);
}

// "jur:全国/山东省/潍坊市/鲁安市" -> "全国 / 山东省 / 潍坊市 / 鲁安市" (the option's tooltip)
const pathName = (id) => String(id).replace(/^jur:/, "").split("/").join(" / ");
