import type { ResolvedEnvironment } from "../envspec";
import { flowGraph } from "./flow-graph";
import { FLOW_COLOURS } from "./flow-svg";

/**
 * The flow diagram as Mermaid (`flowchart LR`) for Markdown documents: the same graph as the
 * console's SVG, one link per firewall intent, exposures in the exposure colour. Node ids are
 * generated (`n0`, `n1`…) and labels quoted with Mermaid's entity for `"`, so no spec text can
 * change the diagram's syntax.
 */
export function flowMermaid(env: ResolvedEnvironment): string {
  const graph = flowGraph(env);
  const id = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const quote = (text: string) => `"${text.replace(/"/g, "#quot;").replace(/[\r\n]+/g, " ")}"`;
  const lines = ["flowchart LR"];
  for (const n of graph.nodes) {
    lines.push(n.kind === "network" ? `  ${id.get(n.id)}[(${quote(n.label)})]` : `  ${id.get(n.id)}[${quote(n.label)}]`);
  }
  graph.edges.forEach((e) => lines.push(`  ${id.get(e.from)} -->|${quote(e.label)}| ${id.get(e.to)}`));
  graph.edges.forEach((e, i) => {
    if (e.exposure) lines.push(`  linkStyle ${i} stroke:${FLOW_COLOURS.exposure},stroke-width:2px,stroke-dasharray:6 3`);
  });
  return lines.join("\n");
}
