import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { parseEnvironment, resolveDefaults } from "../../envspec";
import { checkPolicy } from "../../policy/check-policy";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { withFastSynth } from "../../stacks/fast-synth";
import { VmGroup } from "../../constructs/vm-group";

const SPEC = fs.readFileSync(path.join(__dirname, "..", "envspec", "data-disks.yaml"), "utf8");

/** The data-disks example (prod, tang) with `from` replaced by `to`, synthesised without failing on findings. */
function stackOf(from: string | RegExp = "", to = ""): EnvironmentStack {
  const text = SPEC.replace(from, to);
  if (from !== "") expect(text).not.toBe(SPEC);
  const env = resolveDefaults(parseEnvironment(text, "vault.yaml"));
  return withFastSynth(() => new EnvironmentStack(new App(), "vault", { env, policy: false }));
}

function dbVm(stack: EnvironmentStack) {
  return (stack.tiers.db as VmGroup).members[0];
}

describe("data disks and extra NICs of an environment", () => {
  it("gives every VM of the tier its encrypted data disks and NICs, with nothing for the policy to report", () => {
    // GIVEN the prod example WHEN synthesised
    const stack = stackOf();
    const vm = dbVm(stack);
    // THEN the disks carry the encryption serials, the extra NIC its firewall, and there is no vTPM for tang
    expect(vm.dataDisks.map((d) => [d.interface, d.serial, d.datastoreId])).toEqual([
      ["scsi1", "pcdk-luks-1", "local-lvm"],
      ["scsi2", "pcdk-luks-2", "tank"],
    ]);
    expect(vm.diskUnlock).toBe("tang");
    const findings = checkPolicy(stack, { stage: "prod" }).filter((f) => ["PVE-OPS-010", "PVE-FW-002"].includes(f.ruleId));
    expect(findings).toEqual([]);
  });

  it("reports an unencrypted data disk of a prod VM as PVE-OPS-010", () => {
    const stack = stackOf("{ sizeGiB: 100 }", "{ sizeGiB: 100, encrypted: false }");
    const found = checkPolicy(stack, { stage: "prod" }).filter((f) => f.ruleId === "PVE-OPS-010");
    expect(found).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining('data disk "scsi1" is not marked for encryption') })]);
  });

  it("reports an extra NIC with the firewall off as PVE-FW-002", () => {
    const stack = stackOf("{ bridge: vmbr1, vlan: 50 }", "{ bridge: vmbr1, vlan: 50, firewall: false }");
    const found = checkPolicy(stack, { stage: "prod" }).filter((f) => f.ruleId === "PVE-FW-002");
    expect(found).toEqual([expect.objectContaining({ message: expect.stringContaining('network_device #2 (bridge "vmbr1") has firewall = false') })]);
  });

  it("adds a vTPM to every VM with an encrypted data disk when the environment unlocks with tpm2", () => {
    const stack = stackOf(/ {2}diskUnlock: tang\n {2}tang:\n[\s\S]*?threshold: 2\n/, "  diskUnlock: tpm2\n");
    expect(dbVm(stack).resource.tpmStateInput).toEqual({ datastoreId: "local-lvm", version: "v2.0" });
  });
});
