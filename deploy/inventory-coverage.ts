import * as path from "path";
import type { VmRow } from "../inventory/ansible-inventory";
import { runProcess } from "../io/run-process";

/** A host of an Ansible inventory: its name and the address Ansible connects to. */
export interface InventoryHost {
  readonly name: string;
  /** `ansible_host`, when the inventory sets one. */
  readonly address?: string;
}

/**
 * The deployed guests that no host of an inventory stands for (by host name, or by `ansible_host`
 * equal to the guest's address). A push to such an inventory would leave those guests' keys as
 * they are — and Ansible would still exit 0 — so a run that must reach every guest refuses first.
 */
export function guestsMissingFromInventory(vms: readonly VmRow[], hosts: readonly InventoryHost[]): VmRow[] {
  const names = new Set(hosts.map((h) => h.name));
  const addresses = new Set(hosts.flatMap((h) => (h.address === undefined ? [] : [h.address])));
  return vms.filter((vm) => !names.has(vm.name) && !(vm.ipv4 !== "" && (addresses.has(vm.ipv4) || names.has(vm.ipv4))));
}

/** The hosts of an inventory as Ansible reads it (`ansible-inventory --list`: any format, plugins included). */
export async function inventoryHosts(file: string, cwd: string): Promise<InventoryHost[]> {
  const result = await runProcess("ansible-inventory", ["-i", path.resolve(file), "--list"], {
    cwd,
    env: { ...process.env, ANSIBLE_NOCOLOR: "1" },
    timeoutMs: 5 * 60_000,
  });
  if (result.exitCode !== 0)
    throw new Error(`ansible-inventory could not read the inventory ${file} (exit ${result.exitCode}):\n${result.stderr.slice(-2000)}`);
  let listed: unknown;
  try {
    listed = JSON.parse(result.stdout);
  } catch {
    throw new Error(`ansible-inventory --list printed no JSON for the inventory ${file}.`);
  }
  const hostvars = (listed as { _meta?: { hostvars?: Record<string, Record<string, unknown>> } })?._meta?.hostvars ?? {};
  const names = new Set<string>(Object.keys(hostvars));
  for (const group of Object.values(listed as Record<string, { hosts?: unknown }>)) {
    if (Array.isArray(group?.hosts)) for (const h of group.hosts) if (typeof h === "string") names.add(h);
  }
  return [...names].map((name) => {
    const address = hostvars[name]?.ansible_host;
    return typeof address === "string" ? { name, address } : { name };
  });
}
