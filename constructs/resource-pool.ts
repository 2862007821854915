import { Construct } from "constructs";
import { VirtualEnvironmentPool } from "../.gen/providers/proxmox/virtual-environment-pool";
import { literalText } from "./literal-text";

/** Props of {@link ResourcePool}. */
export interface ResourcePoolProps {
  /** Pool id (letters, digits, - and _). */
  readonly poolId: string;
  /** Comment. @default none */
  readonly comment?: string;
}

/** A PVE resource pool: groups an environment's guests for permissions and backups. */
export class ResourcePool extends Construct {
  /** Pool id (a token, so guests that join it depend on it). */
  readonly poolId: string;

  constructor(scope: Construct, id: string, props: ResourcePoolProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(props.poolId)) {
      throw new Error(`ResourcePool "${id}": poolId "${props.poolId}" must use letters, digits, - and _ (1-64).`);
    }
    const pool = new VirtualEnvironmentPool(this, "pool", literalText({ poolId: props.poolId, comment: props.comment }));
    this.poolId = pool.poolId;
  }
}
