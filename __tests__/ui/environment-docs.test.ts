import * as path from "path";
import { loadEnvironment, resolveDefaults } from "../../envspec";
import { environmentMarkdown } from "../../ui/environment-docs";

const REPO = path.resolve(__dirname, "..", "..");
const dev = resolveDefaults(loadEnvironment(path.join(REPO, "environments", "dev.yaml")));
const prod = resolveDefaults(loadEnvironment(path.join(REPO, "environments", "prod.yaml")));

/** The lines of one `## Section` of a document. */
function section(markdown: string, title: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(`## ${title}`);
  if (start < 0) throw new Error(`no section ${title}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe("environment documentation (Markdown)", () => {
  it("lists every tier with its sizes and every deployed guest with id, node and address", () => {
    // GIVEN dev and the guests of a deploy
    const vms = [{ name: "dev-web-1", id: 101, node: "pve1", ipv4: "10.0.0.5", tier: "web" }];

    // WHEN documented
    const md = environmentMarkdown({ env: dev, vms, findings: [] });

    // THEN
    expect(section(md, "Tiers").filter((l) => l.startsWith("| `"))).toHaveLength(Object.keys(dev.tiers).length);
    expect(section(md, "Tiers")).toContain("| `db` | linux | 1 | 2 | 2048 | 20 | `debian12` | dhcp | `db` `postgres` |");
    expect(section(md, "Guests")).toContain("| `dev-web-1` | `web` | 101 | `pve1` | `10.0.0.5` |");
  });

  it("says an environment without state is not deployed", () => {
    expect(section(environmentMarkdown({ env: dev, findings: [] }), "Guests").join("\n")).toContain("Not deployed yet");
  });

  it("draws the flows as a Mermaid diagram and lists the exposures, the whole internet named as such", () => {
    const md = environmentMarkdown({ env: dev, findings: [] });
    const flows = section(md, "Flows");
    expect(flows).toContain("```mermaid");
    expect(flows.filter((l) => l.includes("-->"))).toHaveLength(7);
    expect(section(md, "Exposures").filter((l) => l.startsWith("- "))).toEqual([
      "- `web` `tcp/443` from `0.0.0.0/0` (the whole internet)",
      "- `bastion` `tcp/22` from `203.0.113.0/24`",
    ]);
  });

  it("states backups and HA as the stage resolves them", () => {
    expect(section(environmentMarkdown({ env: dev, findings: [] }), "Backups and HA")).toEqual(expect.arrayContaining(["- Backups: off", "- HA: off"]));
    const prodOps = section(environmentMarkdown({ env: prod, findings: [] }), "Backups and HA").join("\n");
    expect(prodOps).toMatch(/- Backups: schedule `[^`]+` to storage `[^`]+`, keep \d+ daily/);
    expect(prodOps).toMatch(/- HA: on/);
  });

  it("reports the policy findings with their fixes, and a pass when there is none", () => {
    const finding = { ruleId: "PVE-FW-001", severity: "error" as const, message: "input <policy> is ACCEPT", remediation: "Set DROP." };
    const md = environmentMarkdown({ env: dev, findings: [finding] });
    expect(section(md, "Policy")).toEqual(
      expect.arrayContaining(["1 error(s), 0 warning(s), 0 info(s):", "- `PVE-FW-001` [error] input \\<policy\\> is ACCEPT Fix: Set DROP."]),
    );
    expect(section(environmentMarkdown({ env: dev, findings: [] }), "Policy")).toContain("Passes every rule of the policy pack.");
  });
});
