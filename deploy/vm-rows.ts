import { parseIpv4 } from "../envspec/ipv4";
import { DNS_LABEL, NODE_NAME } from "../envspec/identifiers";
import type { VmRow } from "../inventory/ansible-inventory";

/** VM names the constructs give (`<tier>-<n>`, a DNS label); PVE's own limit is a DNS name. */
const VM_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The `vms` output of an environment's state, checked row by row before anything uses it. The
 * addresses come from the guests' agents (a DHCP VM reports its own), so a guest decides what they
 * say: a row that is not exactly a name, an id, a node, an IPv4 address (or "" while none is
 * reported) and a tier is refused here, before it reaches an inventory, a report or a probe.
 */
export function parseVmRows(value: unknown, source: string): VmRow[] {
  if (!Array.isArray(value)) throw new Error(`${source}: the "vms" output is not a list — was the state written by proxmox-cdk?`);
  return value.map((row: unknown, i) => {
    const where = `${source}: vms[${i}]`;
    if (typeof row !== "object" || row === null || Array.isArray(row)) throw new Error(`${where} is not an object.`);
    const r = row as Record<string, unknown>;
    const text = (key: string, ok: (s: string) => boolean, what: string): string => {
      const v = r[key];
      if (typeof v !== "string" || !ok(v)) throw new Error(`${where}.${key} must be ${what}, got ${JSON.stringify(v)?.slice(0, 80)}.`);
      return v;
    };
    const id = r.id;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 100 || id > 999_999_999) {
      throw new Error(`${where}.id must be a VM id (100..999999999), got ${JSON.stringify(id)?.slice(0, 80)}.`);
    }
    return {
      name: text("name", (s) => VM_NAME.test(s), "a VM name (lowercase letters, digits and -)"),
      id,
      node: text("node", (s) => NODE_NAME.test(s), "a node name"),
      ipv4: text("ipv4", (s) => s === "" || parseIpv4(s) !== undefined, "an IPv4 address such as 10.0.0.5 (as the guest agent reported it), or empty"),
      tier: text("tier", (s) => DNS_LABEL.test(s), "a tier name"),
    };
  });
}
