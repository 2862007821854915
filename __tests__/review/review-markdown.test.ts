import { GITHUB_COMMENT_LIMIT, renderReview } from "../../review/review-markdown";
import type { PlanJson, ResourceChangeJson } from "../../review/plan-json";

function vm(name: string, cores: number, memory: number, disk: number, node = "pve1") {
  return { name, node_name: node, cpu: [{ cores }], memory: [{ dedicated: memory }], disk: [{ interface: "scsi0", size: disk }], tags: ["dev", "proxmox-cdk"] };
}

const replaceVm: ResourceChangeJson = {
  address: "proxmox_virtual_environment_vm.db",
  type: "proxmox_virtual_environment_vm",
  change: { actions: ["delete", "create"], before: vm("db-1", 2, 2048, 20), after: vm("db-1", 2, 2048, 20, "pve2"), replace_paths: [["node_name"]] },
};
const addVm: ResourceChangeJson = {
  address: "proxmox_virtual_environment_vm.web2",
  type: "proxmox_virtual_environment_vm",
  change: { actions: ["create"], before: null, after: vm("web-2", 2, 1024, 10) },
};
const resizeVm: ResourceChangeJson = {
  address: "proxmox_virtual_environment_vm.app",
  type: "proxmox_virtual_environment_vm",
  change: { actions: ["update"], before: vm("app-1", 2, 1024, 10), after: vm("app-1", 4, 2048, 10) },
};
const editRules: ResourceChangeJson = {
  address: "proxmox_virtual_environment_firewall_rules.db",
  type: "proxmox_virtual_environment_firewall_rules",
  change: {
    actions: ["update"],
    before: { rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "5432", source: "+dev-web" }] },
    after: { rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "5432", source: "+dev-app" }] },
  },
};

const plan: PlanJson = { resource_changes: [replaceVm, addVm, resizeVm, editRules] };

describe("plan review Markdown", () => {
  const md = renderReview({
    env: "dev",
    plan,
    findings: [{ ruleId: "PVE-FW-005", severity: "error", message: "tcp/22 open to 0.0.0.0/0", path: "dev/tier-web/web-1/firewall" }],
  });

  it("counts adds, changes, destroys and replacements", () => {
    expect(md).toContain("**Plan: 2 to add, 2 to change, 1 to destroy (1 replaced).** add 2 · change 2 · destroy 1 · replace 1 · ❌ 1 policy error(s)");
  });

  it("warns about the replacement and names the attribute that forces it", () => {
    expect(md).toContain("- **replace** `proxmox_virtual_environment_vm.db` — forced by `node_name`");
  });

  it("shows vCPU and memory before → after per VM", () => {
    expect(md).toContain("| app-1 | update | pve1 | 2 → **4** | 1024 MiB → **2048 MiB** | 10 GiB | dev, proxmox-cdk |");
    expect(md).toContain("| web-2 | create | pve1 | 2 | 1024 MiB | 10 GiB | dev, proxmox-cdk |");
  });

  it("diffs firewall rules", () => {
    expect(md).toContain("  - ➖ in ACCEPT tcp/5432 from +dev-web\n  - ➕ in ACCEPT tcp/5432 from +dev-app");
  });

  it("lists policy findings", () => {
    expect(md).toContain("| PVE-FW-005 | error | `dev/tier-web/web-1/firewall` | tcp/22 open to 0.0.0.0/0 |");
  });

  it("matches the reviewed layout", () => {
    expect(md).toMatchSnapshot();
  });

  it("keeps a 300-VM plan under GitHub's comment limit and says what it left out", () => {
    const big: PlanJson = {
      resource_changes: Array.from({ length: 300 }, (_, i) => ({
        address: `proxmox_virtual_environment_vm.vm_with_a_long_descriptive_name_${i}`,
        type: "proxmox_virtual_environment_vm",
        change: { actions: ["delete", "create"], before: vm(`web-${i}`, 2, 2048, 20), after: vm(`web-${i}`, 4, 4096, 40, "pve2"), replace_paths: [["node_name"], ["clone", 0, "vm_id"]] },
      })),
    };
    const out = renderReview({ env: "prod", plan: big, findings: Array.from({ length: 600 }, (_, i) => ({ ruleId: "PVE-FW-005", severity: "error" as const, message: `finding ${i} `.repeat(10), path: `prod/vm-${i}` })) });
    expect(out.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(out).toMatch(/✂️ \d+ line\(s\) left out to stay under GitHub's 65536-character comment limit/);
    expect(out).toContain("**Plan: 300 to add, 0 to change, 300 to destroy (300 replaced).**");
  });

  it("says so when nothing changes", () => {
    expect(renderReview({ env: "dev", plan: { resource_changes: [] } })).toContain("**No changes.**");
  });
});
