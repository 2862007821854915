import type { ResolvedEnvironment } from "../envspec";
import { escapeHtml } from "./html";
import { flowGraph, FlowNode } from "./flow-graph";

const BOX_W = 150;
const BOX_H = 44;
const COL_GAP = 120;
const ROW_GAP = 36;
const MARGIN = 20;

/** Colours: allowed flows dark blue, exposures to outside networks red (both ≥ 4.5:1 on white). */
export const FLOW_COLOURS = { allow: "#1f4e79", exposure: "#b3261e", tier: "#f2f5f9", network: "#fdecea", text: "#1a1a1a" } as const;

/**
 * The flow diagram as a self-contained SVG, drawn by the server: tiers and outside networks as
 * boxes, one arrow per firewall intent labelled with its port; exposures (source outside the
 * environment) in their own colour and class `exposure`. Every text is escaped.
 */
export function flowDiagramSvg(env: ResolvedEnvironment): string {
  const graph = flowGraph(env);
  const columns = new Map<number, FlowNode[]>();
  for (const n of graph.nodes) columns.set(n.column, [...(columns.get(n.column) ?? []), n]);
  const used = [...columns.keys()].sort((a, b) => a - b);
  const pos = new Map<string, { x: number; y: number }>();
  used.forEach((c, ci) => columns.get(c)!.forEach((n, row) => pos.set(n.id, { x: MARGIN + ci * (BOX_W + COL_GAP), y: MARGIN + 20 + row * (BOX_H + ROW_GAP) })));
  const rows = Math.max(1, ...[...columns.values()].map((ns) => ns.length));
  const width = MARGIN * 2 + Math.max(1, used.length) * BOX_W + Math.max(0, used.length - 1) * COL_GAP;
  const height = MARGIN * 2 + 20 + rows * BOX_H + (rows - 1) * ROW_GAP + 20;

  // Arrows between the same two boxes fan out so that each stays visible and clickable.
  const seen = new Map<string, number>();
  const arrows = graph.edges.map((e, index) => {
    const key = [e.from, e.to].sort().join("|");
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const forward = b.x > a.x;
    const x1 = forward ? a.x + BOX_W : a.x + BOX_W / 2;
    const y1 = forward ? a.y + BOX_H / 2 : a.y + (b.y > a.y ? BOX_H : 0);
    const x2 = forward ? b.x : b.x + BOX_W / 2;
    const y2 = forward ? b.y + BOX_H / 2 : b.y + (b.y > a.y ? 0 : BOX_H);
    const bend = (nth % 2 === 0 ? 1 : -1) * Math.ceil(nth / 2) * 18 + (forward ? 0 : 60);
    const cx = (x1 + x2) / 2 + (forward ? 0 : bend);
    const cy = (y1 + y2) / 2 + (forward ? bend : 0);
    const colour = e.exposure ? FLOW_COLOURS.exposure : FLOW_COLOURS.allow;
    const cls = e.exposure ? "flow exposure" : "flow";
    const title = `${e.from.replace(/^(tier|net):/, "")} → ${e.to.replace(/^tier:/, "")} ${e.label}${e.exposure ? " (exposed to an outside network)" : ""}: ${e.comment}`;
    const lx = (x1 + 2 * cx + x2) / 4;
    const ly = (y1 + 2 * cy + y2) / 4 - 4;
    return (
      `<g class="${cls}" data-intent="${index}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" data-port="${escapeHtml(e.label)}">` +
      `<title>${escapeHtml(title)}</title>` +
      `<path d="M${x1},${y1} Q${cx},${cy} ${x2},${y2}" fill="none" stroke="${colour}" stroke-width="2"${e.exposure ? ' stroke-dasharray="6 3"' : ""} marker-end="url(#${e.exposure ? "head-exposure" : "head-allow"})"/>` +
      `<text x="${lx}" y="${ly}" font-size="12" text-anchor="middle" fill="${colour}">${escapeHtml(e.label)}</text></g>`
    );
  });
  const boxes = graph.nodes.map((n) => {
    const p = pos.get(n.id)!;
    const fill = n.kind === "network" ? FLOW_COLOURS.network : FLOW_COLOURS.tier;
    const stroke = n.kind === "network" ? FLOW_COLOURS.exposure : FLOW_COLOURS.allow;
    const caption = n.kind === "network" ? `network ${n.label}` : `tier ${n.label}`;
    return (
      `<g class="node ${n.kind}" data-node="${escapeHtml(n.id)}"><title>${escapeHtml(caption)}</title>` +
      `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>` +
      `<text x="${p.x + BOX_W / 2}" y="${p.y + BOX_H / 2 + 5}" font-size="14" text-anchor="middle" fill="${FLOW_COLOURS.text}">${escapeHtml(n.label)}</text></g>`
    );
  });
  const marker = (id: string, colour: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flow-diagram" role="img" aria-labelledby="flow-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title id="flow-title">Firewall flows of ${escapeHtml(env.name)}: ${graph.edges.length} allowed flow(s), ${graph.edges.filter((e) => e.exposure).length} exposure(s) to outside networks</title>`,
    `<defs>${marker("head-allow", FLOW_COLOURS.allow)}${marker("head-exposure", FLOW_COLOURS.exposure)}</defs>`,
    ...arrows,
    ...boxes,
    `</svg>`,
  ].join("\n");
}
