import * as fs from "fs";
import * as path from "path";
import { MANAGED_TAG } from "../constructs/managed-tag";
import { T } from "../policy/resource-types";

/** Why a guest counts as managed by proxmox-cdk. */
export type ManagedBy = { readonly state: string } | { readonly tag: string };

/** Guest ids recorded in the environments' Terraform states, with the environments that hold each. */
export type StateIndex = ReadonlyMap<number, readonly string[]>;

interface TfState {
  readonly resources?: readonly { readonly type?: string; readonly instances?: readonly { readonly attributes?: { readonly vm_id?: unknown } }[] }[];
}

/**
 * The VM and container ids in every local Terraform state the project keeps
 * (`<stateDir>/<env>/terraform.tfstate`, the EnvironmentStack's local backend). Only ids are read;
 * a state file that is not JSON is an error naming it. States kept in PostgreSQL (stateBackend: pg)
 * are not read: their guests are recognised by their tag.
 */
export function readStateIndex(stateDir: string): StateIndex {
  const index = new Map<number, string[]>();
  if (!fs.existsSync(stateDir)) return index;
  for (const env of fs.readdirSync(stateDir).sort()) {
    const file = path.join(stateDir, env, "terraform.tfstate");
    if (!fs.existsSync(file)) continue;
    let state: TfState;
    try {
      state = JSON.parse(fs.readFileSync(file, "utf8")) as TfState;
    } catch (e) {
      throw new Error(`${file}: not a Terraform state (${(e as Error).message.split("\n")[0]}); fix or move it to scan.`);
    }
    for (const r of state.resources ?? []) {
      if (!r.type || ![...T.vm, ...T.container].includes(r.type as never)) continue;
      for (const i of r.instances ?? []) {
        const id = Number(i.attributes?.vm_id);
        if (Number.isInteger(id) && id > 0) index.set(id, [...(index.get(id) ?? []), env]);
      }
    }
  }
  return index;
}

/**
 * How a guest is managed: in some environment's state (by id), else by carrying the tag every guest
 * of this library carries; undefined when neither (an unmanaged guest).
 */
export function managedBy(vmid: number, tags: readonly string[], states: StateIndex): ManagedBy | undefined {
  const envs = states.get(vmid);
  if (envs && envs.length > 0) return { state: envs.join(",") };
  if (tags.includes(MANAGED_TAG)) return { tag: MANAGED_TAG };
  return undefined;
}
