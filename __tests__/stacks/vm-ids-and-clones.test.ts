import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { addEnvironmentStacks } from "../../stacks/environment-app";
import type { ResolvedEnvironment } from "../../envspec";
import { DEFAULT_VM_ID_BASE, DEFAULT_VM_ID_BLOCK, defaultVmIdRange, TEMPLATE_ID_SLOTS, TIER_ID_SLOTS, VmIdAllocator } from "../../stacks/vm-id-allocator";

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
      const waits = Object.entries(vms).flatMap(([k, v]) =>
        ((v.depends_on as string[] | undefined) ?? []).filter((d) => vmAddresses.has(d)).map((d) => `${k} -> ${d}`),
      );
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

describe("VmIdAllocator: growing a tier never moves another tier's ids", () => {
  /** A resolved environment with tiers of the given counts (only what the allocator reads). */
  const env = (counts: Record<string, number>, vmIdRange?: { start: number; end: number }) =>
    ({
      name: "dev",
      tiers: Object.fromEntries(Object.entries(counts).map(([n, count]) => [n, { name: n, count }])),
      ...(vmIdRange ? { vmIdRange } : {}),
    }) as unknown as ResolvedEnvironment;
  const layout = (e: ResolvedEnvironment) => {
    const ids = new VmIdAllocator(e);
    return { template: ids.nextTemplate(), tiers: Object.values(e.tiers).map((t) => ids.nextTier(t.count)) };
  };

  it("keeps every tier's first id when an earlier tier grows (default block, laid out in slots)", () => {
    // GIVEN web growing from 1 to 2 VMs in front of app and db
    const before = layout(env({ web: 1, app: 1, db: 1 }));
    const after = layout(env({ web: 2, app: 1, db: 1 }));
    // THEN the template, app and db keep their ids: nothing but the new VM changes
    expect(after).toEqual(before);
    expect(before.tiers[1] - before.tiers[0]).toBe(TIER_ID_SLOTS);
    expect(before.tiers[0] - before.template).toBe(TEMPLATE_ID_SLOTS);
  });

  it("keeps every id when a tier is added at the end", () => {
    const before = layout(env({ web: 3, db: 1 }));
    const after = layout(env({ web: 3, db: 1, cache: 2 }));
    expect(after.tiers.slice(0, 2)).toEqual(before.tiers);
  });

  it("hands a range too small for slots out consecutively", () => {
    // GIVEN a vmIdRange of 100 ids for two tiers (slots would need 16 + 2 × 500)
    const ids = new VmIdAllocator(env({ web: 2, db: 1 }, { start: 5000, end: 5099 }));
    // THEN ids follow each other: template 5000, web 5001-5002, db 5003
    expect(ids.slotted).toBe(false);
    expect([ids.nextTemplate(), ids.nextTier(2), ids.nextTier(1)]).toEqual([5000, 5001, 5003]);
  });
});
