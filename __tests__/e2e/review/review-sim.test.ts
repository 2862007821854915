import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { reviewPlan, up } from "../../../deploy/workflow";
import { policyFindingsFor } from "../../../review/review-findings";
import { renderReview, ReviewFinding } from "../../../review/review-markdown";
import { RunningSimulator, startSimulator } from "../../../sim";
import type { ResourceChange, TerraformPlan } from "../../../terraform/terraform-plan";
import { pveCall } from "../harness/pve-client";
import { removeProject, runCli, simulatorTarget, tempProject } from "./sim-project";

// The plan review end to end: a real deploy to the simulator, a spec change, a real
// `terraform plan` + `terraform show -json`, and the Markdown a pull request would get.

const V1 = fs.readFileSync(path.join(__dirname, "shop.yaml"), "utf8");

/**
 * The reviewed change (besides (d) below, made through the PVE API):
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
let plan: TerraformPlan;
let findings: ReviewFinding[];
let markdown: string;

beforeAll(async () => {
  // GIVEN the shop environment deployed to the simulator
  sim = await startSimulator({});
  root = tempProject("review-sim", { shop: V1 });
  const target = simulatorTarget(sim);
  const deployed = await up({ root, env: "shop", target, log: () => undefined });
  expect(deployed.counts.add).toBeGreaterThan(0);
  // AND (d) someone opened shop-web-1's inbound policy through the PVE API, which the plan restores
  const guests = (await pveCall(sim, "GET", "/cluster/resources", { token: sim.apiToken, args: { type: "vm" } })).body.data as {
    vmid: number;
    node: string;
    name: string;
  }[];
  const web1 = guests.find((g) => g.name === "shop-web-1");
  if (!web1) throw new Error("shop-web-1 was not deployed");
  const opened = await pveCall(sim, "PUT", `/nodes/${web1.node}/qemu/${web1.vmid}/firewall/options`, { token: sim.apiToken, args: { policy_in: "ACCEPT" } });
  expect(opened.status).toBe(200);

  // WHEN the spec changes and the change is reviewed
  fs.writeFileSync(path.join(root, "environments", "shop.yaml"), changedSpec());
  const reviewed = await reviewPlan({ root, env: "shop", target, log: () => undefined });
  if (!reviewed.plan) throw new Error("reviewPlan returned no plan");
  plan = reviewed.plan;
  findings = policyFindingsFor(root, "shop");
  markdown = renderReview({ env: "shop", plan, findings });
}, 240_000);

afterAll(async () => {
  await sim?.stop();
  removeProject(root);
});

const vmChange = (name: string): ResourceChange => {
  const c = plan.changes.find((r) => r.type === "proxmox_virtual_environment_vm" && (r.after?.name ?? r.before?.name) === name);
  if (!c) throw new Error(`no plan entry for VM ${name}`);
  return c;
};

describe("plan review of a deployed environment", () => {
  it("gets from terraform the attribute paths that force the VM replacement", () => {
    // THEN terraform's own JSON marks shop-web-2 as replaced because of its node
    const web2 = vmChange("shop-web-2");
    expect(web2.actions).toEqual(["delete", "create"]);
    expect(web2.replacePaths).toEqual(expect.arrayContaining([["node_name"], ["clone", 0, "node_name"]]));
  });

  it("counts adds, changes, destroys and replacements, and gives the policy verdict", () => {
    // db-2 (VM, options, rules), the replaced shop-web-2 and the db tier's new IP set are added
    // (the old set is destroyed after, not replaced: its name follows the membership);
    // db-1 (resize), web-1/web-2 rules, web-1's restored options and web-2's options change
    expect(markdown).toContain(
      '**Plan: 5 to add, 5 to change, 2 to destroy (1 replaced).** add 5 · change 5 · destroy 2 · replace 1\n\nPolicy: ⚠️ 0 error(s), 4 warning(s), 0 info(s) — see "Policy findings".\n',
    );
  });

  it("warns about the replaced VM by construct path and names the attributes that force it", () => {
    expect(markdown).toContain("- **replace** `shop/tier-web/shop-web-2/vm` — forced by `clone.0.node_name`, `node_name`\n");
  });

  it("shows vCPU, memory and disk before → after per VM, and the node move", () => {
    expect(markdown).toContain(
      [
        "| VM | construct | action | node | vCPU | memory | disk | tags |",
        "|---|---|---|---|---|---|---|---|",
        "| shop-db-1 | `shop/tier-db/shop-db-1/vm` | update | pve1 | 2 → **4** | 1024 MiB → **2048 MiB** | 10 GiB → **12 GiB** | db, proxmox-cdk, staging, tier-db |",
        "| shop-db-2 | `shop/tier-db/shop-db-2/vm` | create | pve2 | 4 | 2048 MiB | 12 GiB | db, proxmox-cdk, staging, tier-db |",
        "| shop-web-2 | `shop/tier-web/shop-web-2/vm` | replace | pve1 → **pve2** | 1 | 512 MiB | 8 GiB | proxmox-cdk, staging, tier-web, web |",
      ].join("\n"),
    );
  });

  it("diffs the edited https rule on every web VM: the old source removed, the new one added", () => {
    for (const vm of ["shop-web-1", "shop-web-2"]) {
      expect(markdown).toContain(
        `- \`shop/tier-web/${vm}/firewall/rules\`\n  - ➖ in ACCEPT tcp/443 from 203.0.113.0/24\n  - ➕ in ACCEPT tcp/443 from 198.51.100.0/24\n`,
      );
    }
  });

  it("shows the new database VM's postgres rule from the web tier's IP set", () => {
    expect(markdown).toMatch(/- `shop\/tier-db\/shop-db-2\/firewall\/rules`\n {2}- ➕ in ACCEPT tcp\/5432 from \+shop-web-[0-9a-f]{8}\n/);
  });

  it("shows the inbound policy opened through the API being restored: input_policy ACCEPT → DROP", () => {
    expect(markdown).toMatch(/\n- update `shop\/tier-web\/shop-web-1\/firewall\/options`\n( {2}- `[^\n]+`\n)* {2}- `input_policy ACCEPT → DROP`\n/);
  });

  it("lists the policy findings of the changed spec with their spec line and fix", () => {
    expect(findings.map((f) => f.ruleId)).toEqual(["PVE-NET-001", "PVE-NET-001", "PVE-NET-001", "PVE-NET-001"]);
    const db = findings.find((f) => f.path === "shop/tier-db/shop-db-2/vm");
    expect(db?.source).toEqual({ file: "environments/shop.yaml", line: expect.any(Number), col: 3 });
    expect(markdown).toContain(
      `| PVE-NET-001 | warning | \`shop/tier-db/shop-db-2/vm\` (environments/shop.yaml:${db?.source?.line}:3) | staging VM "shop-db-2": network_device #1 is on vmbr0 without a VLAN tag, in the same segment as the PVE hosts. | ${db?.remediation} |`,
    );
  });

  it("names no resource by its hashed logical id", () => {
    expect(markdown).not.toMatch(/_[0-9A-F]{8}\b/);
  });

  it("ends with a newline and stays under GitHub's comment limit", () => {
    expect(markdown.endsWith("\n")).toBe(true);
    expect(markdown.length).toBeLessThan(65_536);
  });

  it("matches the reviewed Markdown", () => {
    expect(markdown).toMatchSnapshot();
  });

  it("renders the same Markdown when the same change is reviewed again", async () => {
    const again = await reviewPlan({ root: root!, env: "shop", target: simulatorTarget(sim!), log: () => undefined });
    expect(renderReview({ env: "shop", plan: again.plan!, findings: policyFindingsFor(root!, "shop") })).toBe(markdown);
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
