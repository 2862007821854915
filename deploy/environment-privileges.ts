import * as fs from "fs";
import * as path from "path";
import { minimalPrivileges, privilegesForConfig } from "../constructs/terraform-privileges";

/** What Terraform needs to manage a synthesised environment. */
export interface EnvironmentPrivileges {
  /** The privileges TerraformAccess would derive for these resources, sorted. */
  readonly privileges: readonly string[];
  /** Resource types without a privilege mapping: their needs cannot be checked. */
  readonly unmapped: readonly string[];
  /** Resource pools the environment creates (VM privileges may be granted on them). */
  readonly pools: readonly string[];
}

/**
 * The privileges of a synthesised stack (`<workdir>/cdk.tf.json`), derived by the same table and
 * rules as TerraformAccess (constructs/terraform-privileges.ts).
 */
export function environmentPrivileges(workdir: string): EnvironmentPrivileges {
  const json = JSON.parse(fs.readFileSync(path.join(workdir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const privs = new Set<string>();
  const unmapped = new Set<string>();
  const pools: string[] = [];
  for (const [type, byId] of Object.entries(json.resource ?? {})) {
    for (const config of Object.values(byId)) {
      const needed = privilegesForConfig(type, config);
      if (!needed) unmapped.add(type);
      else needed.forEach((p) => privs.add(p));
      if (type === "proxmox_virtual_environment_pool" && typeof config.pool_id === "string") pools.push(config.pool_id);
    }
  }
  return { privileges: minimalPrivileges(privs), unmapped: [...unmapped].sort(), pools };
}
