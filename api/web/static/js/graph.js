// The evidence graph: dispute → evidence units → candidate departments, drawn with cytoscape (from the npm
// registry, served locally at /static/vendor). Without the library the page still works and says so.

import { clear, h, kindLabel, ROLE } from "./api.js";
import { loadVendor } from "./vendor.js";

const MAX_UNITS = 16;
const KIND_COLOR = {
  article: "#0b5cad", duty: "#7b3fa0", mandate: "#0b6e4f", mandate_clause: "#0b6e4f", clause: "#0b6e4f",
  boundary: "#0b6e4f", matter: "#a15c00", ruling: "#b3261e", precedent: "#d96c5f", named: "#6b7280",
};
const ROLE_COLOR = { lead: "#b3261e", cooperate: "#0b6e4f", territorial: "#7a4f01" };

const short = (s, n) => (s && s.length > n ? s.slice(0, n) + "…" : s || "");

/** Nodes and edges for the answer: the strongest evidence units (by total contribution) and every candidate. */
export function evidenceElements(data) {
  const units = new Map();
  for (const c of data.candidates || []) {
    for (const e of c.evidence || []) {
      const key = e.unit || `${e.kind}:${e.citation}`;
      const u = units.get(key) || { key, kind: e.kind, citation: e.citation || key, total: 0, ev: e, links: [] };
      u.total += e.contribution || 0;
      u.links.push({ cand: c.id || c.name, w: e.contribution || 0 });
      units.set(key, u);
    }
  }
  const kept = [...units.values()].sort((a, b) => b.total - a.total).slice(0, MAX_UNITS);
  const cands = data.candidates || [];
  const nodes = [], edges = [];
  const tall = Math.max(kept.length, cands.length, 2);
  const gapU = 34, gapC = (tall * gapU) / Math.max(cands.length, 1);
  const height = tall * gapU;
  nodes.push({ data: { id: "q", label: "争议：" + short(data.query, 16), type: "query" }, position: { x: 0, y: height / 2 } });
  kept.forEach((u, i) => {
    nodes.push({
      data: { id: "u:" + u.key, label: `${kindLabel(u.kind)}｜${short(u.citation.replace(/^[^：]+：/, ""), 20)}`,
        type: "unit", kind: u.kind, color: KIND_COLOR[u.kind] || "#6b7280", unit: u.ev.unit || "", title: u.ev.law_title || u.citation },
      position: { x: 330, y: i * gapU + gapU / 2 + (height - kept.length * gapU) / 2 },
    });
    edges.push({ data: { id: `e:q:${i}`, source: "q", target: "u:" + u.key, w: 1, color: "#c3ccd8" } });
  });
  const candIds = new Set();
  cands.forEach((c, i) => {
    const id = "c:" + (c.id || c.name);
    candIds.add(c.id || c.name);
    nodes.push({
      data: { id, label: `${c.name}（${ROLE[c.role] || c.role || ""}）`, type: "cand", color: ROLE_COLOR[c.role] || "#6b7280" },
      position: { x: 760, y: i * gapC + gapC / 2 },
    });
  });
  const maxW = Math.max(...kept.flatMap((u) => u.links.map((l) => l.w)), 1e-9);
  kept.forEach((u, i) => u.links.forEach((l, j) => {
    if (!candIds.has(l.cand)) return;
    edges.push({ data: { id: `e:${i}:${j}`, source: "u:" + u.key, target: "c:" + l.cand,
      w: 1 + (5 * l.w) / maxW, color: KIND_COLOR[u.kind] || "#6b7280", label: l.w.toFixed(2) } });
  }));
  return { nodes, edges, shown: kept.length, total: units.size };
}

export async function drawEvidenceGraph(container, data, { note, legend, onArticle } = {}) {
  const { nodes, edges, shown, total } = evidenceElements(data);
  if (note) note.textContent = total > shown ? `共 ${total} 条证据，图中显示贡献最大的 ${shown} 条。` : "";
  if (legend) {
    const kinds = [...new Set(nodes.filter((n) => n.data.type === "unit").map((n) => n.data.kind))];
    clear(legend, kinds.map((k) => h("span", {}, h("i", { style: `background:${KIND_COLOR[k] || "#6b7280"}` }), kindLabel(k))),
      Object.entries(ROLE).map(([r, l]) => h("span", {}, h("i", { style: `background:${ROLE_COLOR[r]};border-radius:50%` }), `${l}部门`)));
  }
  let cytoscape;
  try {
    cytoscape = await loadVendor("cytoscape.min.js", "cytoscape");
  } catch {
    clear(container, h("p", { class: "muted", style: "padding:12px" },
      "证据图不可用：图形库未安装（在项目目录运行 npm ci --prefix api/web）。上方的证据链不受影响。"));
    container.dataset.state = "missing";
    return null;
  }
  clear(container);
  const cy = cytoscape({
    container,
    elements: { nodes, edges },
    layout: { name: "preset", fit: true, padding: 24 },
    minZoom: 0.3, maxZoom: 2.5,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 12, "text-valign": "center", "text-halign": "right",
        "text-margin-x": 6, width: 14, height: 14, "background-color": "data(color)", color: "#1d2430",
        "font-family": getComputedStyle(document.documentElement).fontFamily } },
      { selector: 'node[type="query"]', style: { shape: "round-rectangle", width: 18, height: 18, "background-color": "#12355b",
        "text-halign": "left", "text-margin-x": -6, "font-weight": "bold" } },
      { selector: 'node[type="cand"]', style: { width: 20, height: 20, "font-size": 13, "font-weight": "bold" } },
      { selector: 'node[type="unit"]', style: { shape: "round-rectangle" } },
      { selector: "edge", style: { width: "data(w)", "line-color": "data(color)", opacity: 0.55, "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "data(color)", "arrow-scale": 0.7 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#f5a623" } },
    ],
  });
  cy.on("tap", "node[type='unit']", (evt) => {
    const unit = evt.target.data("unit");
    if (unit && /^law:.+#/.test(unit) && onArticle) onArticle(unit, evt.target.data("title"));
  });
  container._cy = cy; // for tests and the console
  container.dataset.state = "drawn";
  return cy;
}
