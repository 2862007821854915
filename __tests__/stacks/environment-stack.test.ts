import { App, Testing } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPolicy, formatFinding } from "../../policy";
import { addEnvironmentStacks, environmentFiles } from "../../stacks/environment-app";
import { STATE_BACKEND_ENV } from "../../stacks/environment-stack";

const root = path.resolve(__dirname, "..", "..");
const envDir = path.join(root, "environments");

function synthAll(dir = envDir) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "envsynth-"));
  const app = new App({ outdir });
  const stacks = addEnvironmentStacks(app, { dir });
  app.synth();
  return { outdir, stacks };
}

function resources(outdir: string, stack: string): Record<string, Record<string, any>> {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).resource;
}

describe("environment stacks", () => {
  it("synthesises one stack per example spec, named after the file", () => {
    const { stacks } = synthAll();
    expect(stacks.map((s) => s.node.id)).toEqual(environmentFiles(envDir).map((f) => path.basename(f, ".yaml")));
    expect(stacks.map((s) => s.node.id)).toEqual(expect.arrayContaining(["dev", "staging", "prod"]));
  });

  it("gives prod protection, a backup job and HA, and dev none of these", () => {
    const { outdir } = synthAll();
    const prod = resources(outdir, "prod");
    const dev = resources(outdir, "dev");
    const prodVms = Object.values(prod.proxmox_virtual_environment_vm).filter((v) => !v.template);
    expect(prodVms.every((v) => v.protection === true)).toBe(true);
    expect(Object.keys(prod.proxmox_backup_job ?? {})).toHaveLength(1);
    expect(Object.keys(prod.proxmox_haresource ?? {})).toHaveLength(prodVms.length);
    expect(Object.values(dev.proxmox_virtual_environment_vm).some((v) => v.protection)).toBe(false);
    expect(dev.proxmox_backup_job).toBeUndefined();
    expect(dev.proxmox_haresource).toBeUndefined();
  });

  it("renders the spec's icmp as ping — PVE's Ping macro — rather than every ICMP type", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envicmp-"));
    const prod = fs
      .readFileSync(path.join(envDir, "prod.yaml"), "utf8")
      .replace("    - { from: app, to: db, port: postgres }\n", "    - { from: app, to: db, port: postgres }\n    - { from: bastion, to: db, port: icmp }\n");
    expect(prod).toContain("port: icmp");
    fs.writeFileSync(path.join(dir, "prod.yaml"), prod);
    const { outdir } = synthAll(dir);
    const rules = Object.entries(resources(outdir, "prod").proxmox_virtual_environment_firewall_rules)
      .filter(([k]) => k.startsWith("tier-db"))
      .flatMap(([, v]) => v.rule as Record<string, string>[]);
    const ping = rules.filter((r) => r.comment === "bastion to db icmp");
    // One rule per db VM.
    expect(ping.length).toBeGreaterThan(0);
    for (const r of ping)
      expect(r).toEqual({
        type: "in",
        action: "ACCEPT",
        macro: "Ping",
        source: expect.stringMatching(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.tier-bastion_ipset-[0-9a-f]{8}_ipset_/),
        comment: "bastion to db icmp",
        enabled: true,
      });
  });

  it("opens postgres on the db tier only from the app tier's IP set", () => {
    const { outdir } = synthAll();
    const rules = Object.entries(resources(outdir, "prod").proxmox_virtual_environment_firewall_rules)
      .filter(([k]) => k.startsWith("tier-db"))
      .flatMap(([, v]) => v.rule as Record<string, string>[]);
    const pg = rules.filter((r) => r.dport === "5432");
    expect(pg.length).toBeGreaterThan(0);
    expect(new Set(pg.map((r) => r.source))).toEqual(
      new Set([expect.stringMatching(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.tier-app_ipset-[0-9a-f]{8}_ipset_[0-9A-F]+\.name\}$/)]),
    );
  });

  it.each(["dev", "staging", "prod"])("validates %s with the real provider (chained clones, SDN dependencies)", (name) => {
    // staging and prod keep their state in PostgreSQL; validation needs no state, so use local here.
    process.env[STATE_BACKEND_ENV] = "local";
    try {
      const app = Testing.app();
      addEnvironmentStacks(app, { dir: envDir, only: [name] });
      expect(Testing.fullSynth(app.node.findChild(name) as never)).toBeValidTerraform();
    } finally {
      delete process.env[STATE_BACKEND_ENV];
    }
  });

  it("selects the pg backend without writing a connection string into the JSON", () => {
    const { outdir } = synthAll();
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "prod", "cdk.tf.json"), "utf8")).terraform;
    expect(tf.backend).toEqual({ pg: { schema_name: "proxmox_cdk_prod" } });
  });

  it("stops before synthesising anything when a spec is broken", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envbroken-"));
    fs.copyFileSync(path.join(envDir, "dev.yaml"), path.join(dir, "dev.yaml"));
    fs.writeFileSync(path.join(dir, "prod.yaml"), fs.readFileSync(path.join(envDir, "prod.yaml"), "utf8").replace(/stage: prod/, "stage: production"));
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "envsynth-"));
    const app = new App({ outdir });
    expect(() => addEnvironmentStacks(app, { dir })).toThrow(/prod\.yaml:\d+:\d+ .*stage/);
    expect(app.node.children).toHaveLength(0);
  });
});

describe("environment stacks under the policy pack", () => {
  it("synthesise every example environment with zero error-level findings", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "envpolicy-")) });
    const stacks = addEnvironmentStacks(app, { dir: envDir });
    const findings = checkPolicy(app);
    expect(findings.filter((f) => f.severity === "error").map(formatFinding)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
    expect(stacks.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses to synthesise an insecure environment and lists each finding with its YAML line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envinsecure-"));
    const insecure = fs
      .readFileSync(path.join(envDir, "prod.yaml"), "utf8")
      .replace(/^name: prod$/m, "name: insecure")
      .replace(/expose:\n/, "expose:\n    - { tier: db, port: ssh, from: 0.0.0.0/0 }\n    - { tier: db, port: postgres, from: 0.0.0.0/0 }\n");
    fs.writeFileSync(path.join(dir, "insecure.yaml"), insecure);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "envsynth-")) });
    addEnvironmentStacks(app, { dir });
    const errors = checkPolicy(app).filter((f) => f.severity === "error");
    expect(errors.map((f) => f.ruleId)).toEqual(expect.arrayContaining(["PVE-FW-006", "PVE-FW-008"]));
    const dbLine = insecure.split("\n").findIndex((l) => /^ {2}db:/.test(l)) + 1;
    expect(errors.every((f) => f.source?.file.endsWith("insecure.yaml") && f.source.line === dbLine)).toBe(true);
    expect(() => app.synth()).toThrow(/PVE-FW-006[\s\S]*PVE-FW-008|PVE-FW-008[\s\S]*PVE-FW-006/);
  });
});
