import { App, Testing } from "cdktf";
import { bareEnvironment, constructsEnvironment } from "../../bench/bench-environment";

type Json = Record<string, unknown>;

const REFERENCE = /\b(proxmox_[a-z_]+)\.([A-Za-z0-9_-]+)/g;

/**
 * The synthesised configuration with every resource renamed to a name derived from its content —
 * its `name` attribute, or the VM its `vm_id` references, or its type when it is the only one — so
 * two stacks that differ only in construct ids (and hence logical names) compare equal. Construct
 * metadata (`//`) is dropped; everything else, the order of list entries included, must match.
 */
function normalised(stackJson: string): Json {
  const tf = JSON.parse(stackJson) as Json;
  const resources = tf.resource as Record<string, Record<string, Json>>;
  const canonical = new Map<string, string>();
  const nameOf = (type: string, body: Json): string => {
    if (typeof body.name === "string" && !body.name.includes("${")) return `${type}.${body.name}`;
    const target = /^\$\{(proxmox_virtual_environment_vm\.[A-Za-z0-9_-]+)\.vm_id\}$/.exec(typeof body.vm_id === "string" ? body.vm_id : "");
    if (target) {
      const [vmType, vmName] = target[1].split(".");
      return `${type}.of-${nameOf(vmType, resources[vmType][vmName]).split(".")[1]}`;
    }
    return `${type}.only`;
  };
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, body] of Object.entries(byName)) {
      const key = nameOf(type, body);
      expect([...canonical.values()]).not.toContain(key);
      canonical.set(`${type}.${name}`, key);
    }
  }
  const renamed = JSON.parse(
    stackJson.replace(REFERENCE, (m) => canonical.get(m) ?? m),
    (key, value) => (key === "//" ? undefined : value),
  ) as Json;
  const out: Record<string, Record<string, Json>> = {};
  for (const [type, byName] of Object.entries(resources)) {
    out[type] = {};
    for (const name of Object.keys(byName)) {
      out[type][(canonical.get(`${type}.${name}`) as string).split(".")[1]] = (renamed.resource as Record<string, Record<string, Json>>)[type][name];
    }
  }
  return { ...renamed, resource: out };
}

function synthesised(build: (app: App) => unknown): string {
  const app = Testing.app();
  const stack = build(app);
  return Testing.synth(stack as Parameters<typeof Testing.synth>[0]);
}

describe("synthesis benchmark environments", () => {
  it.each([10, 37])("the bare provider-class baseline writes the same Terraform configuration as the constructs (%i VMs)", (vms) => {
    const constructs = normalised(synthesised((app) => constructsEnvironment(app, vms)));
    const bare = normalised(synthesised((app) => bareEnvironment(app, vms)));
    const count = (tf: Json) => Object.values(tf.resource as Record<string, Json>).reduce((s, r) => s + Object.keys(r).length, 0);
    // Per VM: the VM, its firewall options, its rules and its alias; then image, template, pool, cluster firewall (DHCP tiers have no IP set).
    expect(count(constructs)).toBe(4 * vms + 4);
    expect(bare).toEqual(constructs);
  });
});
