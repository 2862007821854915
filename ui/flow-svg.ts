import type { ResolvedEnvironment } from "../envspec";
import { escapeHtml } from "./html";
import { flowGraph, FlowNode } from "./flow-graph";

const BOX_W = 150;
const BOX_H = 44;
const COL_GAP = 120;
const ROW_GAP = 36;
const MARGIN = 20;
const LANE_GAP = 28;

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
  const slot = new Map(used.map((c, i) => [c, i]));
  // Arrows between neighbouring columns run straight across; every other arrow arcs over the
  // boxes in a lane of its own above them, so no arrow runs through a box it does not connect.
  const isLong = (from: string, to: string) => {
    const a = graph.nodes.find((n) => n.id === from)!;
    const b = graph.nodes.find((n) => n.id === to)!;
    return slot.get(b.column)! - slot.get(a.column)! !== 1;
  };
  const lanes = graph.edges.filter((e) => isLong(e.from, e.to)).length;
  const top = MARGIN + 20 + lanes * LANE_GAP;
  const pos = new Map<string, { x: number; y: number }>();
  used.forEach((c, ci) => columns.get(c)!.forEach((n, row) => pos.set(n.id, { x: MARGIN + ci * (BOX_W + COL_GAP), y: top + row * (BOX_H + ROW_GAP) })));
  const rows = Math.max(1, ...[...columns.values()].map((ns) => ns.length));
  const width = MARGIN * 2 + Math.max(1, used.length) * BOX_W + Math.max(0, used.length - 1) * COL_GAP;
  const height = top + rows * BOX_H + (rows - 1) * ROW_GAP + MARGIN;

  // Arrows between the same two boxes fan out so that each stays visible.
  const seen = new Map<string, number>();
  let lane = 0;
  const arrows = graph.edges.map((e, index) => {
    const key = [e.from, e.to].sort().join("|");
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const fan = (nth % 2 === 0 ? 1 : -1) * Math.ceil(nth / 2) * 8;
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    let p: [number, number][];
    if (!isLong(e.from, e.to)) {
      const [x1, y1, x2, y2] = [a.x + BOX_W, a.y + BOX_H / 2 + fan, b.x, b.y + BOX_H / 2 + fan];
      p = [
        [x1, y1],
        [x1 + COL_GAP / 2, y1],
        [x2 - COL_GAP / 2, y2],
        [x2, y2],
      ];
    } else {
      const laneY = top - 12 - (lanes - lane++) * LANE_GAP + LANE_GAP;
      const [x1, x2] = [a.x + BOX_W / 2 + 12 + fan, b.x + BOX_W / 2 - 12 + fan];
      p = [
        [x1, a.y],
        [x1, laneY],
        [x2, laneY],
        [x2, b.y],
      ];
    }
    // The label sits on the curve's midpoint (t = 1/2 of the cubic Bézier).
    const lx = (p[0][0] + 3 * p[1][0] + 3 * p[2][0] + p[3][0]) / 8;
    const ly = (p[0][1] + 3 * p[1][1] + 3 * p[2][1] + p[3][1]) / 8 - 4;
    const colour = e.exposure ? FLOW_COLOURS.exposure : FLOW_COLOURS.allow;
    const cls = e.exposure ? "flow exposure" : "flow";
    const title = `${e.from.replace(/^(tier|net):/, "")} → ${e.to.replace(/^tier:/, "")} ${e.label}${e.exposure ? " (exposed to an outside network)" : ""}: ${e.comment}`;
    const d = `M${p[0].join(",")} C${p[1].join(",")} ${p[2].join(",")} ${p[3].join(",")}`;
    return (
      `<g class="${cls}" data-intent="${index}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" data-port="${escapeHtml(e.label)}">` +
      `<title>${escapeHtml(title)}</title>` +
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${e.exposure ? ' stroke-dasharray="6 3"' : ""} marker-end="url(#${e.exposure ? "head-exposure" : "head-allow"})"/>` +
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
