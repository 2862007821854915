import type { ResolvedEnvironment } from "../envspec";
import type { PolicyOptions } from "../policy/check-policy";

/**
 * What the policy is told about an environment beyond its resources: its stage, its node count and
 * when each SSH key was added with the oldest a key may be (rule PVE-CI-005). The one place these
 * are derived from a spec: the stack's pack, the review and the draft gate all use it.
 */
export function environmentPolicyOptions(env: ResolvedEnvironment): PolicyOptions {
  return {
    stage: env.stage,
    nodeCount: env.nodes.length,
    sshKeyAges: { maxAgeDays: env.cloudInit.maxKeyAgeDays, keys: env.cloudInit.sshKeyRecords },
  };
}
