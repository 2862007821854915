import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { addEnvironmentStacks } from "../../stacks/environment-app";

const EXAMPLE = fs.readFileSync(path.join(__dirname, "..", "envspec", "containers.yaml"), "utf8");

/** Synthesises the container example (edited by `edit`) and returns its resources by type. */
function synth(edit: (text: string) => string = (t) => t): Record<string, Record<string, any>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctenv-"));
  fs.writeFileSync(path.join(dir, "ctdev.yaml"), edit(EXAMPLE));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ctsynth-"));
  const app = new App({ outdir });
  addEnvironmentStacks(app, { dir });
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "ctdev", "cdk.tf.json"), "utf8")).resource;
}

describe("an environment with a container tier", () => {
  const r = synth();
  const cts = Object.values(r.proxmox_virtual_environment_container);

  it("builds two hardened containers from one vztmpl download, with consecutive ids and pool addresses", () => {
    expect(Object.values(r.proxmox_download_file).map((d: any) => [d.content_type, d.node_name])).toEqual(expect.arrayContaining([["vztmpl", "pve1"]]));
    expect(
      cts.map((c: any) => [c.initialization.hostname, c.initialization.ip_config[0].ipv4.address, c.unprivileged, c.network_interface[0].firewall]),
    ).toEqual([
      ["ctdev-cache-1", "10.40.0.33/24", true, true],
      ["ctdev-cache-2", "10.40.0.34/24", true, true],
    ]);
    expect(cts.map((c: any) => c.vm_id)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(cts[1].vm_id).toBe(cts[0].vm_id + 1);
    expect(cts.every((c: any) => c.pool_id !== undefined && c.tags.includes("tier-cache") && c.tags.includes("container"))).toBe(true);
  });

  it("gives the spec's SSH keys to root and no password", () => {
    for (const c of cts) expect(c.initialization.user_account).toEqual({ keys: [expect.stringMatching(/^ssh-ed25519 /)] });
  });

  it("turns each container's firewall on by container_id and opens the intents between containers and VMs", () => {
    const options = Object.entries(r.proxmox_virtual_environment_firewall_options).filter(([k]) => k.startsWith("tier-cache"));
    expect(options).toHaveLength(2);
    for (const [, o] of options)
      expect(o).toMatchObject({ enabled: true, input_policy: "DROP", container_id: expect.stringMatching(/virtual_environment_container\./) });
    const rules = Object.entries(r.proxmox_virtual_environment_firewall_rules);
    const cacheRules = rules.filter(([k]) => k.startsWith("tier-cache")).flatMap(([, v]) => v.rule as Record<string, string>[]);
    expect(cacheRules.filter((x) => x.dport === "6379")).toHaveLength(2);
    for (const x of cacheRules) expect(x.source).toMatch(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.tier-db_ipset-/);
    const dbRules = rules.filter(([k]) => k.startsWith("tier-db")).flatMap(([, v]) => v.rule as Record<string, string>[]);
    expect(dbRules).toEqual([
      expect.objectContaining({ dport: "5432", source: expect.stringMatching(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.tier-cache_ipset-/) }),
    ]);
  });

  it("lists the containers' addresses in the tier's IP set", () => {
    const sets = Object.entries(r.proxmox_virtual_environment_firewall_ipset).filter(([k]) => k.startsWith("tier-cache"));
    expect(sets.map(([, s]) => s.cidr.map((c: { name: string }) => c.name))).toEqual([["10.40.0.33", "10.40.0.34"]]);
  });

  it("turns the nesting feature on only when the tier asks", () => {
    const withNesting = synth((t) => t.replace("    tags: [cache]", "    tags: [cache]\n    features: { nesting: true }"));
    expect(Object.values(withNesting.proxmox_virtual_environment_container).map((c: any) => c.features.nesting)).toEqual([true, true]);
    expect(cts.map((c: any) => c.features)).toEqual([
      { nesting: false, keyctl: false, fuse: false },
      { nesting: false, keyctl: false, fuse: false },
    ]);
  });

  it("downloads the template on every node it spreads containers to, and names containers ct: in HA in prod", () => {
    const prod = synth((t) =>
      t
        .replace("stage: dev", "stage: prod")
        .replace("nodes: [pve1]", "nodes: [pve1, pve2]")
        .replace("cloudInit:", "backups: { storage: pbs, pbs: { server: pbs.example.invalid, datastore: prod, username: pve@pbs } }\ncloudInit:"),
    );
    const downloads = Object.values(prod.proxmox_download_file).filter((d: any) => d.content_type === "vztmpl");
    expect(downloads.map((d: any) => d.node_name).sort()).toEqual(["pve1", "pve2"]);
    const cts2: any[] = Object.values(prod.proxmox_virtual_environment_container);
    expect(cts2.map((c) => [c.node_name, c.protection])).toEqual([
      ["pve1", true],
      ["pve2", true],
    ]);
    expect(cts2[1].operating_system.template_file_id).toMatch(/ct-template-debian12ct-pve2/);
    const ha = Object.values(prod.proxmox_haresource).map((h: any) => String(h.resource_id));
    expect(ha.filter((id) => id.startsWith("ct:"))).toHaveLength(2);
    expect(ha.filter((id) => id.startsWith("vm:"))).toHaveLength(1);
  });
});
