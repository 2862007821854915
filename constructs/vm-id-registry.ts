import { IConstruct } from "constructs";

const claimed = new WeakMap<IConstruct, Map<number, string>>();

/**
 * Records that `owner` uses VM id `vmId` and throws when another construct in the same app already
 * does: PVE VM ids are cluster-wide, so a duplicate would fail at apply time, far from its cause.
 */
export function claimVmId(owner: IConstruct, vmId: number): void {
  const root = owner.node.root;
  let ids = claimed.get(root);
  if (!ids) {
    ids = new Map();
    claimed.set(root, ids);
  }
  const other = ids.get(vmId);
  if (other !== undefined && other !== owner.node.path) {
    throw new Error(`${owner.node.path}: vmId ${vmId} is already used by ${other} — VM ids are cluster-wide; pick another.`);
  }
  ids.set(vmId, owner.node.path);
}
