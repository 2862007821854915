import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { addEnvironmentStacks } from "../../stacks/environment-app";
import { DEFAULT_VM_ID_BASE, DEFAULT_VM_ID_BLOCK, defaultVmIdRange } from "../../stacks/vm-id-allocator";

const envDir = path.resolve(__dirname, "..", "..", "environments");

/** The VM resources of every example environment, synthesised, by stack name. */
function synthVms(): Record<string, Record<string, Record<string, unknown>>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "vmids-"));
  try {
    const app = new App({ outdir });
    const stacks = addEnvironmentStacks(app, { dir: envDir });
    app.synth();
    return Object.fromEntries(
      stacks.map((s) => {
        const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s.node.id, "cdk.tf.json"), "utf8"));
        return [s.node.id, json.resource.proxmox_virtual_environment_vm as Record<string, Record<string, unknown>>];
      }),
    );
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("VM ids and clone ordering of synthesised environments", () => {
  const byStack = synthVms();

  it("gives every VM and template an explicit, unique vm_id, also without a vmIdRange in the spec", () => {
    // GIVEN the example environments (dev has no vmIdRange)
    for (const [stack, vms] of Object.entries(byStack)) {
      // WHEN they are synthesised THEN every VM carries its own vm_id
      const ids = Object.values(vms).map((v) => v.vm_id);
      expect({ stack, explicit: ids.every((id) => Number.isInteger(id)) }).toEqual({ stack, explicit: true });
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("lets no VM wait for another VM: the clones of a tier run in parallel", () => {
    for (const [stack, vms] of Object.entries(byStack)) {
      const vmAddresses = new Set(Object.keys(vms).map((k) => `proxmox_virtual_environment_vm.${k}`));
      const waits = Object.entries(vms).flatMap(([k, v]) => ((v.depends_on as string[] | undefined) ?? []).filter((d) => vmAddresses.has(d)).map((d) => `${k} -> ${d}`));
      expect({ stack, waits }).toEqual({ stack, waits: [] });
    }
  });

  it("places an environment without vmIdRange in its own block above the ids nextid hands out", () => {
    // GIVEN the dev environment's default block
    const range = defaultVmIdRange("dev");
    const ids = Object.values(byStack.dev).map((v) => v.vm_id as number);
    // THEN the block lies above 999,999 and holds every dev VM, from its start on
    expect(range.start).toBeGreaterThanOrEqual(DEFAULT_VM_ID_BASE);
    expect(range.end - range.start + 1).toBe(DEFAULT_VM_ID_BLOCK);
    expect(Math.min(...ids)).toBe(range.start);
    expect(Math.max(...ids)).toBeLessThanOrEqual(range.end);
    expect(range.end).toBeLessThanOrEqual(999_999_999);
    // AND other names land elsewhere
    expect(defaultVmIdRange("dev2").start).not.toBe(range.start);
  });
});
