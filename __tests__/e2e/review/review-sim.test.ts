import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { reviewPlan, up } from "../../../deploy/workflow";
import { policyFindingsFor } from "../../../review/review-findings";
import { renderReview, ReviewFinding } from "../../../review/review-markdown";
import type { PlanJson, ResourceChangeJson } from "../../../review/plan-json";
import { RunningSimulator, startSimulator } from "../../../sim";
import { removeProject, runCli, simulatorTarget, tempProject } from "./sim-project";

// The plan review end to end: a real deploy to the simulator, a spec change, a real
// `terraform plan` + `terraform show -json`, and the Markdown a pull request would get.

const V1 = fs.readFileSync(path.join(__dirname, "shop.yaml"), "utf8");

/**
 * The reviewed change:
 * (a) placement pack → spread moves shop-web-2 from pve1 to pve2; the VM has no `migrate`, so the
 *     provider forces a replacement on `node_name` (CustomizeDiff ForceNewIf in
 *     proxmoxtf/resource/vm/vm.go) — and on `clone.0.node_name` (ForceNew), now set because the
 *     template stays on pve1;
 * (b) the web tier's https exposure moves from 203.0.113.0/24 to 198.51.100.0/24 (a rule edit);
 * (c) one more database VM, with the tier resized: cores 2 → 4, memory 1024 → 2048 MiB, disk 10 → 12 GiB.
 */
function changedSpec(): string {
  const doc = parseDocument(V1);
  doc.set("placement", "spread");
  doc.setIn(["firewall", "expose", 0, "from"], "198.51.100.0/24");
  doc.setIn(["tiers", "db", "count"], 2);
  doc.setIn(["tiers", "db", "cores"], 4);
  doc.setIn(["tiers", "db", "memoryMiB"], 2048);
  doc.setIn(["tiers", "db", "diskGiB"], 12);
  return doc.toString();
}

let sim: RunningSimulator | undefined;
let root: string | undefined;
let plan: PlanJson;
let findings: ReviewFinding[];
let markdown: string;

beforeAll(async () => {
  // GIVEN the shop environment deployed to the simulator
  sim = await startSimulator({});
  root = tempProject("review-sim", { shop: V1 });
  const target = simulatorTarget(sim);
  const deployed = await up({ root, env: "shop", target, log: () => undefined });
  expect(deployed.counts.add).toBeGreaterThan(0);

  // WHEN the spec changes and the change is reviewed
  fs.writeFileSync(path.join(root, "environments", "shop.yaml"), changedSpec());
  const reviewed = await reviewPlan({ root, env: "shop", target, log: () => undefined });
  plan = reviewed.plan as PlanJson;
  findings = policyFindingsFor(root, "shop");
  markdown = renderReview({ env: "shop", plan, findings });
}, 240_000);

afterAll(async () => {
  await sim?.stop();
  removeProject(root);
});

const vmChange = (name: string): ResourceChangeJson => {
  const c = (plan.resource_changes ?? []).find((r) => r.type === "proxmox_virtual_environment_vm" && (r.change.after?.name ?? r.change.before?.name) === name);
  if (!c) throw new Error(`no plan entry for VM ${name}`);
  return c;
};

describe("plan review of a deployed environment", () => {
  it("gets from terraform the attribute paths that force the VM replacement", () => {
    // THEN terraform's own JSON marks shop-web-2 as replaced because of its node
    const web2 = vmChange("shop-web-2");
    expect(web2.change.actions).toEqual(["delete", "create"]);
    expect(web2.change.replace_paths).toEqual(expect.arrayContaining([["node_name"], ["clone", 0, "node_name"]]));
  });

  it("counts adds, changes, destroys and replacements", () => {
    // db-2 (VM, options, rules), the replaced shop-web-2 and the db tier's new IP set are added
    // (the old set is destroyed after, not replaced: its name follows the membership);
    // db-1 (resize), web-1/web-2 rules and web-2's options change
    expect(markdown).toContain("**Plan: 5 to add, 4 to change, 2 to destroy (1 replaced).** add 5 · change 4 · destroy 2 · replace 1\n");
  });

  it("warns about the replaced VM and names the attribute that forces it", () => {
    const address = vmChange("shop-web-2").address;
    const line = markdown.split("\n").find((l) => l.startsWith(`- **replace** \`${address}\``));
    expect(line).toMatch(/ — forced by .*`node_name`/);
    expect(line).toContain("`clone.0.node_name`");
  });

  it("shows vCPU, memory and disk before → after per VM, and the node move", () => {
    expect(markdown).toContain(
      [
        "| VM | action | node | vCPU | memory | disk | tags |",
        "|---|---|---|---|---|---|---|",
        "| shop-db-1 | update | pve1 | 2 → **4** | 1024 MiB → **2048 MiB** | 10 GiB → **12 GiB** | db, proxmox-cdk, staging, tier-db |",
        "| shop-db-2 | create | pve2 | 4 | 2048 MiB | 12 GiB | db, proxmox-cdk, staging, tier-db |",
        "| shop-web-2 | replace | pve1 → **pve2** | 1 | 512 MiB | 8 GiB | proxmox-cdk, staging, tier-web, web |",
      ].join("\n"),
    );
  });

  it("diffs the edited https rule on every web VM: the old source removed, the new one added", () => {
    for (const vm of ["shop-web-1", "shop-web-2"]) {
      const rules = (plan.resource_changes ?? []).find((c) => c.type === "proxmox_virtual_environment_firewall_rules" && c.address.includes(`_${vm}_`));
      expect(markdown).toContain(
        `- \`${rules?.address}\`\n  - ➖ in ACCEPT tcp/443 from 203.0.113.0/24\n  - ➕ in ACCEPT tcp/443 from 198.51.100.0/24\n`,
      );
    }
  });

  it("shows the new database VM's postgres rule from the web tier's IP set", () => {
    expect(markdown).toMatch(/- `proxmox_virtual_environment_firewall_rules\.tier-db_shop-db-2_firewall_rules_[0-9A-F]+`\n {2}- ➕ in ACCEPT tcp\/5432 from \+shop-web-[0-9a-f]{8}\n/);
  });

  it("lists the policy findings of the changed spec", () => {
    expect(findings.map((f) => f.ruleId)).toEqual(["PVE-NET-001", "PVE-NET-001", "PVE-NET-001", "PVE-NET-001"]);
    expect(markdown).toContain(
      '| PVE-NET-001 | warning | `shop/tier-db/shop-db-2/vm` | staging VM "shop-db-2": network_device #1 is on vmbr0 without a VLAN tag, in the same segment as the PVE hosts. |',
    );
  });

  it("matches the reviewed Markdown", () => {
    expect(markdown).toMatchSnapshot();
  });

  it("renders the same Markdown when the same change is reviewed again", async () => {
    const again = await reviewPlan({ root: root!, env: "shop", target: simulatorTarget(sim!), log: () => undefined });
    expect(renderReview({ env: "shop", plan: again.plan as PlanJson, findings: policyFindingsFor(root!, "shop") })).toBe(markdown);
  }, 120_000);
});

describe("proxmox-cdk review <env> --out FILE", () => {
  it("writes the review of the pending change for the pull request, marked with the environment", async () => {
    // WHEN the CLI reviews the same project against the same simulator through PROXMOX_VE_*
    const out = path.join(root!, "review.md");
    const run = await runCli(["review", "shop", "--out", out], { cwd: root!, sim: sim! });

    // THEN it wrote exactly the in-process review, with the per-environment marker, and printed no Markdown
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: expect.any(String) });
    expect(run.stdout).not.toContain("## proxmox-cdk plan review");
    expect(fs.readFileSync(out, "utf8")).toBe(renderReview({ env: "shop", plan, findings, marker: "<!-- proxmox-cdk-review:shop -->" }));
  }, 240_000);
});
