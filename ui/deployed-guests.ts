import * as fs from "fs";
import * as path from "path";
import { redact } from "../deploy/audit-log";
import { readDeployedEnvironment } from "../deploy/environment-outputs";
import type { VmRow } from "../inventory/ansible-inventory";

/** The guests of an environment's last deploy, or why they are not known. */
export type DeployedGuests = { readonly vms: readonly VmRow[] } | { readonly vms?: undefined; readonly reason: string };

const cache = new Map<string, { readonly key: string; readonly value: DeployedGuests }>();

/**
 * The `vms` output of the environment's Terraform state (names, ids, nodes, addresses), read with
 * the same function as `inventory` and `validate`. Read once per state version: a local state is
 * read again only when its file changed.
 */
export async function deployedGuests(root: string, env: string): Promise<DeployedGuests> {
  const stateFile = path.join(root, ".state", env, "terraform.tfstate");
  const key = fs.existsSync(stateFile) ? String(fs.statSync(stateFile).mtimeMs) : "none";
  const cached = cache.get(`${root}\u0000${env}`);
  if (cached && cached.key === key) return cached.value;
  let value: DeployedGuests;
  try {
    value = { vms: (await readDeployedEnvironment(root, env)).vms };
  } catch (e) {
    value = { reason: redact((e as Error).message) };
  }
  cache.set(`${root}\u0000${env}`, { key, value });
  return value;
}
