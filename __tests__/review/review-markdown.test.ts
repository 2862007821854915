import { GITHUB_COMMENT_LIMIT, renderReview, ReviewFinding } from "../../review/review-markdown";
import { readPlan } from "../../terraform/terraform-plan";

function vm(name: string, cores: number, memory: number, disk: number, node = "pve1") {
  return { name, node_name: node, cpu: [{ cores }], memory: [{ dedicated: memory }], disk: [{ interface: "scsi0", size: disk }], tags: ["dev", "proxmox-cdk"] };
}

/** One `resource_changes` entry as `terraform show -json` writes it. */
function change(type: string, name: string, actions: string[], before: object | null, after: object | null, extra: object = {}) {
  return { address: `${type}.${name}`, mode: "managed", type, name, change: { actions, before, after, after_unknown: {}, ...extra } };
}

const VM = "proxmox_virtual_environment_vm";
const RULES = "proxmox_virtual_environment_firewall_rules";
const OPTIONS = "proxmox_virtual_environment_firewall_options";

const raw = {
  resource_changes: [
    change(VM, "tier-db_db-1_vm_0A1B2C3D", ["delete", "create"], vm("db-1", 2, 2048, 20), vm("db-1", 2, 2048, 20, "pve2"), { replace_paths: [["node_name"]] }),
    change(VM, "tier-web_web-2_vm_1A2B3C4D", ["create"], null, vm("web-2", 2, 1024, 10)),
    change(VM, "tier-app_app-1_vm_2A3B4C5D", ["update"], vm("app-1", 2, 1024, 10), vm("app-1", 4, 2048, 10)),
    change(
      RULES,
      "tier-db_db-1_firewall_rules_3A4B5C6D",
      ["update"],
      { rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "5432", source: "+dev-web" }] },
      { rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "5432", source: "+dev-app" }] },
    ),
    // Someone set the web VM's inbound policy to ACCEPT through the PVE API; the plan restores DROP.
    change(
      OPTIONS,
      "tier-web_web-1_firewall_options_4A5B6C7D",
      ["update"],
      { enabled: true, input_policy: "ACCEPT", vm_id: 101 },
      { enabled: true, input_policy: "DROP", vm_id: 101 },
    ),
    change("proxmox_virtual_environment_pool", "pool_5A6B7C8D", ["no-op"], { pool_id: "dev" }, { pool_id: "dev" }),
  ],
};

/** Construct paths as cdktf records them in cdk.tf.json. */
const paths = new Map([
  [`${VM}.tier-db_db-1_vm_0A1B2C3D`, "dev/tier-db/db-1/vm"],
  [`${VM}.tier-web_web-2_vm_1A2B3C4D`, "dev/tier-web/web-2/vm"],
  [`${VM}.tier-app_app-1_vm_2A3B4C5D`, "dev/tier-app/app-1/vm"],
  [`${RULES}.tier-db_db-1_firewall_rules_3A4B5C6D`, "dev/tier-db/db-1/firewall/rules"],
  [`${OPTIONS}.tier-web_web-1_firewall_options_4A5B6C7D`, "dev/tier-web/web-1/firewall/options"],
]);

const plan = readPlan(raw, { constructPaths: paths });
const sshFinding: ReviewFinding = {
  ruleId: "PVE-FW-006",
  severity: "error",
  message: "rule #1 (in ACCEPT tcp/22 from 0.0.0.0/0) accepts SSH from the whole internet.",
  remediation: "Allow SSH only from a bastion or management network.",
  path: "dev/tier-web/web-1/firewall/rules",
  source: { file: "environments/dev.yaml", line: 31, col: 3 },
};

describe("plan review Markdown", () => {
  const md = renderReview({ env: "dev", plan, findings: [sshFinding] });

  it("counts adds, changes, destroys and replacements, and gives the policy verdict", () => {
    expect(md).toContain(
      "**Plan: 2 to add, 3 to change, 1 to destroy (1 replaced).** add 2 · change 3 · destroy 1 · replace 1\n\nPolicy: ❌ 1 error(s), 0 warning(s), 0 info(s)",
    );
  });

  it("warns about the replacement by construct path and names the attribute that forces it", () => {
    expect(md).toContain("- **replace** `dev/tier-db/db-1/vm` — forced by `node_name`");
  });

  it("shows vCPU and memory before → after per VM, with its construct path", () => {
    expect(md).toContain("| app-1 | `dev/tier-app/app-1/vm` | update | pve1 | 2 → **4** | 1024 MiB → **2048 MiB** | 10 GiB | dev, proxmox-cdk |");
    expect(md).toContain("| web-2 | `dev/tier-web/web-2/vm` | create | pve1 | 2 | 1024 MiB | 10 GiB | dev, proxmox-cdk |");
  });

  it("diffs firewall rules under the rule set's construct path", () => {
    expect(md).toContain("- `dev/tier-db/db-1/firewall/rules`\n  - ➖ in ACCEPT tcp/5432 from +dev-web\n  - ➕ in ACCEPT tcp/5432 from +dev-app\n");
  });

  it("lists each policy finding with its spec line and its fix", () => {
    expect(md).toContain(
      "| PVE-FW-006 | error | `dev/tier-web/web-1/firewall/rules` (environments/dev.yaml:31:3) | rule #1 (in ACCEPT tcp/22 from 0.0.0.0/0) accepts SSH from the whole internet. | Allow SSH only from a bastion or management network. |",
    );
  });

  it("names the finding's resource by construct path where its message gives the Terraform address", () => {
    const address = `${RULES}.tier-web_web-1_firewall_rules_7A8B9C0D`;
    const out = renderReview({
      env: "dev",
      plan,
      findings: [{ ...sshFinding, resource: address, message: `rule #1 of ${address} opens SSH (tcp/22) to every address.` }],
    });
    expect(out).toContain("| rule #1 of dev/tier-web/web-1/firewall/rules opens SSH (tcp/22) to every address. |");
    expect(out).not.toContain(address);
  });

  it("shows the attribute changes of other changes: the restored inbound policy", () => {
    expect(md).toContain("### Other changes\n\n- update `dev/tier-web/web-1/firewall/options`\n  - `input_policy ACCEPT → DROP`\n");
  });

  it("lists a VM update's attributes that the VM table does not show, such as protection turned off", () => {
    // GIVEN a VM resized and unprotected in the same change
    const unprotect = readPlan(
      {
        resource_changes: [
          change(
            VM,
            "tier-app_app-1_vm_2A3B4C5D",
            ["update"],
            { ...vm("app-1", 2, 1024, 10), protection: true },
            { ...vm("app-1", 4, 1024, 10), protection: false },
          ),
        ],
      },
      { constructPaths: paths },
    );
    const out = renderReview({ env: "dev", plan: unprotect, findings: [] });
    // THEN the table shows the cores, and Other changes shows only the protection
    expect(out).toContain("| app-1 | `dev/tier-app/app-1/vm` | update | pve1 | 2 → **4** |");
    expect(out).toContain("### Other changes\n\n- update `dev/tier-app/app-1/vm`\n  - `protection true → false`\n");
    expect(out).not.toContain("cpu.0.cores");
  });

  it("never names a resource by its hashed logical id when the construct path is known", () => {
    expect(md).not.toMatch(/_[0-9A-F]{8}\b/);
  });

  it("ends with a newline", () => {
    expect(md.endsWith("\n")).toBe(true);
    expect(renderReview({ env: "dev", plan: readPlan({}), findings: [] }).endsWith("\n")).toBe(true);
  });

  it("matches the reviewed layout", () => {
    expect(md).toMatchSnapshot();
  });

  it("says Policy: no findings when the environment is clean", () => {
    const clean = renderReview({ env: "dev", plan, findings: [] });
    expect(clean).toContain("\nPolicy: no findings.\n");
    expect(clean).not.toContain("### Policy findings");
  });

  it("says what was not checked instead of 'no findings' when told to (an app without a PolicyPack)", () => {
    const line = "Policy: no findings annotated (an app is checked when it adds `PolicyPack.addTo(app)`).";
    const app = renderReview({ env: "web", plan, findings: [], noFindingsLine: line });
    expect(app).toContain(`\n${line}\n`);
    expect(app).not.toContain("Policy: no findings.");
  });

  it("names a destroyed resource that is no longer in the configuration by the construct path its logical id spells", () => {
    const gone = readPlan(
      { resource_changes: [change(VM, "tier-old_old-1_vm_6A7B8C9D", ["delete"], vm("old-1", 1, 512, 8), null)] },
      { constructPaths: paths },
    );
    expect(renderReview({ env: "dev", plan: gone, findings: [] })).toContain("- **destroy** `tier-old/old-1/vm (no longer in the configuration)`");
  });

  it("keeps plan and spec values inert: no links, HTML or table breaks from a hostile value", () => {
    // GIVEN a VM name and an options comment written to break out of the table and inject a link
    const hostile = readPlan({
      resource_changes: [
        change(VM, "x", ["create"], null, { ...vm("a|b<img src=x>[l](http://e)", 1, 512, 8) }),
        change(OPTIONS, "y", ["update"], { comment: "a" }, { comment: "` | <b>x</b>" }),
      ],
    });
    const out = renderReview({ env: "dev", plan: hostile, findings: [] });
    // THEN the characters are escaped in the table and code spans hold the comment whole
    expect(out).toContain("| a\\|b\\<img src=x\\>\\[l\\](http://e) |");
    expect(out).toContain('  - ``comment a → "` | <b>x</b>"``');
  });

  it("keeps a 300-VM plan under GitHub's comment limit and says what it left out", () => {
    const big = readPlan({
      resource_changes: Array.from({ length: 300 }, (_, i) =>
        change(VM, `vm_with_a_long_descriptive_name_${i}`, ["delete", "create"], vm(`web-${i}`, 2, 2048, 20), vm(`web-${i}`, 4, 4096, 40, "pve2"), {
          replace_paths: [["node_name"], ["clone", 0, "vm_id"]],
        }),
      ),
    });
    const findings = Array.from({ length: 600 }, (_, i): ReviewFinding => ({ ...sshFinding, message: `finding ${i} `.repeat(10), path: `prod/vm-${i}` }));
    const out = renderReview({ env: "prod", plan: big, findings });
    expect(out.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(out).toMatch(/✂️ \d+ entries left out to stay under GitHub's 65536-character comment limit/);
    expect(out).toContain("**Plan: 300 to add, 0 to change, 300 to destroy (300 replaced).**");
    expect(out.endsWith("\n")).toBe(true);
  });

  it("says so when nothing changes", () => {
    expect(renderReview({ env: "dev", plan: readPlan({ resource_changes: [] }), findings: [] })).toContain("**No changes.**");
  });
});

describe("plan review Markdown with containers", () => {
  const CT = "proxmox_virtual_environment_container";
  const ct = (hostname: string, cores: number, memory: number, disk: number) => ({
    node_name: "pve1",
    cpu: [{ cores }],
    memory: [{ dedicated: memory, swap: 0 }],
    disk: [{ datastore_id: "local-lvm", size: disk }],
    initialization: [{ hostname }],
    tags: ["container", "dev", "proxmox-cdk"],
  });
  const ctPlan = readPlan(
    {
      resource_changes: [
        change(
          CT,
          "tier-cache_cache-1_container_1A2B3C4D",
          ["update"],
          { ...ct("dev-cache-1", 1, 512, 8), protection: false },
          { ...ct("dev-cache-1", 2, 512, 8), protection: true },
        ),
        change(CT, "tier-cache_cache-2_container_2A3B4C5D", ["create"], null, ct("dev-cache-2", 1, 512, 8)),
      ],
    },
    { constructPaths: new Map([[`${CT}.tier-cache_cache-1_container_1A2B3C4D`, "dev/tier-cache/dev-cache-1/container"]]) },
  );

  it("shows containers in a table of their own, named by hostname, with sizes before → after", () => {
    // GIVEN a plan growing one container and creating another WHEN rendered
    const md = renderReview({ env: "dev", plan: ctPlan, findings: [] });
    // THEN the containers table lists both, sizes as arrows, and the VM table is absent
    expect(md).toContain("| container | construct | action | node | cores | memory | root disk | tags |");
    expect(md).toContain(
      "| dev-cache-1 | `dev/tier-cache/dev-cache-1/container` | update | pve1 | 1 → **2** | 512 MiB | 8 GiB | container, dev, proxmox-cdk |",
    );
    expect(md).toMatch(/\| dev-cache-2 \| .* \| create \| pve1 \| 1 \| 512 MiB \| 8 GiB \|/);
    expect(md).not.toContain("| VM | construct |");
    // AND an attribute outside the table (protection) is still listed under other changes
    expect(md).toMatch(/update `dev\/tier-cache\/dev-cache-1\/container`\n {2}- `protection false → true`/);
  });
});
