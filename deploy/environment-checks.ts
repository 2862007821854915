/**
 * Checks a workflow makes against the target itself, beyond the plan: the destroy preflight with
 * the locks PVE reports now, and the scan for orphans (guests of the environment not in state).
 */
import * as fs from "fs";
import * as path from "path";
import { connectionFromEnv } from "../pve/pve-client";
import { loadLocatedEnvironment } from "../envspec";
import { TerraformCli } from "../terraform/terraform-cli";
import { TerraformPlan } from "../terraform/terraform-plan";
import { DestroyBlocker, destroyBlockers, deletedVms } from "./destroy-preflight";
import { clusterGuests, configuredVmNames, findOrphans, formatOrphans, Orphan, stateVmIds } from "./orphans";
import { Target } from "./target";

/** What a step of a workflow works with. */
export interface StepContext {
  readonly target: Target;
  readonly root: string;
  /** Environment name, or the stack name of an app. */
  readonly env: string;
  /** The stack is a cdktf app's, not an environment's: it has no pool or vmIdRange that marks its guests. @default false */
  readonly fromApp?: boolean;
}

/** The API connection the target's variables describe (API token only), if any. */
function connectionOf(target: Target) {
  return connectionFromEnv({ ...process.env, ...target.env });
}

/** Runs the preflight over a plan's deletions, with the locks PVE reports now. */
export async function preflight(plan: TerraformPlan, ctx: StepContext, unprotectFix: string): Promise<DestroyBlocker[]> {
  const locks = new Map<number, string>();
  const conn = connectionOf(ctx.target);
  if (conn && deletedVms(plan).length) {
    let guests;
    try {
      guests = await clusterGuests(conn);
    } catch (e) {
      throw new Error(`preflight: could not read the VMs' locks, so nothing was changed: ${(e as Error).message}`);
    }
    for (const g of guests) if (g.lock) locks.set(g.vmid, g.lock);
  }
  return destroyBlockers(plan, { unprotectFix, locks });
}

/**
 * Guests of the environment that the state does not record, listed in the log. `planJson` is the
 * raw `terraform show -json` of the plan, for its `configuration` section (the configured VM names,
 * which no plan change carries). When the cluster
 * cannot be asked, `up` says so and goes on; `drift` (`required`) fails: it cannot decide.
 */
export async function orphansOf(
  tf: TerraformCli,
  ctx: StepContext,
  planJson: Record<string, unknown>,
  log: (l: string) => void,
  required = false,
): Promise<Orphan[]> {
  if (ctx.fromApp) {
    log("Orphan check skipped: a cdktf app's stack has no environment pool or vmIdRange that marks its guests.");
    return [];
  }
  const conn = connectionOf(ctx.target);
  if (!conn) {
    log("Orphan check skipped: listing the cluster's guests needs PROXMOX_VE_API_TOKEN.");
    return [];
  }
  let guests;
  try {
    guests = await clusterGuests(conn);
  } catch (e) {
    if (required) throw new Error(`could not list the cluster's guests to look for orphans: ${(e as Error).message}`);
    log(`Orphan check skipped: could not list the cluster's guests: ${(e as Error).message}`);
    return [];
  }
  const specFile = ["yaml", "yml"].map((x) => path.join(ctx.root, "environments", `${ctx.env}.${x}`)).find((f) => fs.existsSync(f));
  const orphans = findOrphans(guests, {
    env: ctx.env,
    known: stateVmIds(await tf.showJson()),
    vmIdRange: specFile ? loadLocatedEnvironment(specFile).spec.vmIdRange : undefined,
    configured: configuredVmNames(planJson),
  });
  formatOrphans(orphans, path.relative(ctx.root, tf.workdir) || ".").forEach((l) => log(l));
  return orphans;
}
