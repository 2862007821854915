import * as path from "path";
import { loadEnvironment, parseEnvironment, resolveDefaults } from "../../envspec";
import { firewallIntents } from "../../stacks/firewall-intents";
import { flowDiagramSvg, FLOW_COLOURS } from "../../ui/flow-svg";
import { flowMermaid } from "../../ui/flow-mermaid";

const REPO = path.resolve(__dirname, "..", "..");
const dev = resolveDefaults(loadEnvironment(path.join(REPO, "environments", "dev.yaml")));

/** The arrows of an SVG: `<g class="flow…" data-from data-to data-port>`. */
function arrows(svg: string): { cls: string; from: string; to: string; port: string; stroke: string }[] {
  return [...svg.matchAll(/<g class="(flow[^"]*)" data-intent="\d+" data-from="([^"]+)" data-to="([^"]+)" data-port="([^"]+)">.*?stroke="([^"]+)"/g)].map(
    (m) => ({ cls: m[1], from: m[2], to: m[3], port: m[4], stroke: m[5] }),
  );
}

describe("flow diagram (SVG)", () => {
  it("draws one arrow per firewall intent of dev.yaml, from its source to its tier, labelled with its port", () => {
    // GIVEN dev's intents WHEN drawn
    const intents = firewallIntents(dev);
    const drawn = arrows(flowDiagramSvg(dev));

    // THEN each intent is exactly one arrow, in order
    expect(drawn).toHaveLength(intents.length);
    expect(drawn.map((a) => [a.from, a.to, a.port])).toEqual(
      intents.map((i) => [
        i.source.kind === "tier" ? `tier:${i.source.tier}` : `net:${i.source.cidr}`,
        `tier:${i.tier}`,
        i.service.protocol === "icmp" ? "ping" : `${i.service.protocol}/${i.service.from}`,
      ]),
    );
  });

  it("highlights exposures to outside networks in their own colour and class", () => {
    const drawn = arrows(flowDiagramSvg(dev));
    const exposures = drawn.filter((a) => a.from.startsWith("net:"));
    const internal = drawn.filter((a) => a.from.startsWith("tier:"));
    expect(exposures.map((a) => `${a.from}->${a.to}`)).toEqual(["net:0.0.0.0/0->tier:web", "net:203.0.113.0/24->tier:bastion"]);
    expect(exposures.every((a) => a.cls === "flow exposure" && a.stroke === FLOW_COLOURS.exposure)).toBe(true);
    expect(internal.every((a) => a.cls === "flow" && a.stroke === FLOW_COLOURS.allow)).toBe(true);
    expect(FLOW_COLOURS.exposure).not.toBe(FLOW_COLOURS.allow);
  });

  it("draws a box per tier and per outside network", () => {
    const svg = flowDiagramSvg(dev);
    const nodes = [...svg.matchAll(/data-node="([^"]+)"/g)].map((m) => m[1]);
    expect(nodes.sort()).toEqual(["net:0.0.0.0/0", "net:203.0.113.0/24", "tier:app", "tier:bastion", "tier:db", "tier:web"]);
  });

  it("draws a range and ping as their own arrows and escapes every comment", () => {
    // GIVEN a spec with a port range, ping and a comment holding markup
    const spec = resolveDefaults(
      parseEnvironment(
        `name: t
stage: dev
nodes: [pve1]
network: { bridge: { name: vmbr0 } }
templates:
  img: { url: "https://example.com/i.qcow2", checksum: "${"a".repeat(64)}", checksumAlgorithm: sha256 }
tiers:
  a: { template: img }
  b: { template: img }
firewall:
  allow:
    - { from: a, to: b, port: tcp/8000-8010, comment: "<script>x</script>" }
    - { from: a, to: b, port: icmp }
cloudInit: { user: ops, sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl t@x"] }
`,
        "t.yaml",
      ),
    );

    // WHEN drawn
    const svg = flowDiagramSvg(spec);

    // THEN two arrows, labelled with the range and ping, and the comment is text only
    expect(arrows(svg).map((a) => a.port)).toEqual(["tcp/8000-8010", "ping"]);
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;x&lt;/script&gt;");
  });
});

describe("flow diagram (Mermaid)", () => {
  it("has one link per intent of dev.yaml and styles exactly the exposures", () => {
    const mermaid = flowMermaid(dev);
    const links = mermaid.split("\n").filter((l) => l.includes("-->"));
    const styled = [...mermaid.matchAll(/linkStyle (\d+) stroke:([^,]+)/g)].map((m) => [Number(m[1]), m[2]]);
    const intents = firewallIntents(dev);
    expect(links).toHaveLength(intents.length);
    expect(styled).toEqual(intents.flatMap((i, n) => (i.source.kind === "cidr" ? [[n, FLOW_COLOURS.exposure]] : [])));
    expect(links[0]).toMatch(/^ {2}n\d+ -->\|"tcp\/8080"\| n\d+$/);
  });
});
