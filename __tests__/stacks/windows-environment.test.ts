import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { addEnvironmentStacks } from "../../stacks/environment-app";

const EXAMPLE = fs.readFileSync(path.join(__dirname, "..", "envspec", "windows.yaml"), "utf8");

/** Synthesises the Windows example (edited by `edit`) with the policy pack on and returns its resources by type. */
function synth(edit: (text: string) => string = (t) => t): Record<string, Record<string, any>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "winenv-"));
  fs.writeFileSync(path.join(dir, "windev.yaml"), edit(EXAMPLE));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "winsynth-"));
  const app = new App({ outdir });
  addEnvironmentStacks(app, { dir });
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "windev", "cdk.tf.json"), "utf8")).resource;
}

describe("an environment with a Windows tier", () => {
  it("builds the tier's VMs with the Windows preset from the installer ISO, with no cloud-init, and passes the policy pack", () => {
    // GIVEN the Windows example WHEN synthesised (the policy pack throws on an error-level finding)
    const r = synth();
    const desks = Object.values(r.proxmox_virtual_environment_vm).filter((v: any) => v.name.startsWith("windev-desk-"));
    // THEN two VMs boot the downloaded ISO on ide2 with OVMF + pre-enrolled keys, TPM 2.0, q35, win11, in the pool
    expect(desks.map((v: any) => v.name)).toEqual(["windev-desk-1", "windev-desk-2"]);
    for (const v of desks) {
      expect(v).toMatchObject({
        bios: "ovmf",
        machine: "q35",
        efi_disk: { pre_enrolled_keys: true },
        tpm_state: { version: "v2.0" },
        operating_system: { type: "win11" },
        cdrom: { interface: "ide2", file_id: expect.stringMatching(/^\$\{proxmox_download_file\.windows-installer-win11-pve1_iso_/) },
        cpu: { cores: 4 },
        memory: { dedicated: 8192 },
        pool_id: expect.stringContaining("proxmox_virtual_environment_pool"),
      });
      expect(v.tags).toEqual(expect.arrayContaining(["windows", "tier-desk", "desktop"]));
      // AND the spec's cloud-init user and keys do not reach them (Windows has no cloud-init)
      expect(v).not.toHaveProperty("initialization");
    }
    expect(Object.values(r.proxmox_download_file).map((d: any) => [d.content_type, d.file_name, d.node_name])).toContainEqual([
      "iso",
      "Win11_24H2_English_x64.iso",
      "pve1",
    ]);
  });

  it("downloads the ISO on every node the tier spreads over, and each VM boots its node's copy", () => {
    // GIVEN the tier spread over two nodes WHEN synthesised
    const r = synth((t) => t.replace("nodes: [pve1]", "nodes: [pve1, pve2]"));
    // THEN each node downloads the ISO and each desktop boots the copy on its own node
    const isos = Object.values(r.proxmox_download_file).filter((d: any) => d.content_type === "iso");
    expect(isos.map((d: any) => d.node_name).sort()).toEqual(["pve1", "pve2"]);
    const desks = Object.values<any>(r.proxmox_virtual_environment_vm).filter((v) => v.name.startsWith("windev-desk-"));
    expect(desks.map((v) => [v.node_name, v.cdrom.file_id.match(/windows-installer-win11-(pve\d)_/)[1]])).toEqual([
      ["pve1", "pve1"],
      ["pve2", "pve2"],
    ]);
  });

  it("puts the Windows tier's pool addresses in an IP set that the db tier's rule names", () => {
    const r = synth();
    const sets = Object.entries(r.proxmox_virtual_environment_firewall_ipset).filter(([k]) => k.startsWith("tier-desk"));
    expect(sets.map(([, s]) => s.cidr.map((c: { name: string }) => c.name))).toEqual([["10.50.0.33", "10.50.0.34"]]);
    const dbRules = Object.entries(r.proxmox_virtual_environment_firewall_rules)
      .filter(([k]) => k.startsWith("tier-db"))
      .flatMap(([, v]) => v.rule as Record<string, string>[]);
    expect(dbRules).toEqual([
      expect.objectContaining({ dport: "5432", source: expect.stringMatching(/^\+\$\{proxmox_virtual_environment_firewall_ipset\.tier-desk_ipset-/) }),
    ]);
  });
});
