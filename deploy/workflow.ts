import * as fs from "fs";
import * as path from "path";
import { attributeChanges, formatAttributeChange } from "../terraform/attribute-changes";
import { readConstructPaths } from "../terraform/construct-paths";
import { TerraformCli } from "../terraform/terraform-cli";
import { countPlan, formatCounts, hasChanges, PlanCounts, readPlan, resourceLabel, TerraformPlan } from "../terraform/terraform-plan";
import { appendAudit, AuditRecord } from "./audit-log";
import { DestroyRefused } from "./destroy-preflight";
import { DestructiveChange, destructiveChanges, formatDestructiveChanges } from "./destructive-changes";
import { orphansOf, preflight, StepContext } from "./environment-checks";
import { liftProtection } from "./lift-protection";
import { removeAdoptedPasswords } from "./adopted-passwords";
import { Orphan } from "./orphans";
import { replaceCompanions } from "./replace-companions";
import { privateDir, removeStalePlans, restrictSecretFiles } from "./secret-files";
import { synthEnvironment } from "./synth-environment";
import { ManifestStack } from "./app-manifest";
import { CdktfApp, synthAppStack } from "./cdktf-app";
import { requireStateBackend } from "./state-backend";
import { resolveTarget, Target } from "./target";
import { requireTargetReady } from "./target-preflight";

/** Options shared by the environment workflows. */
export interface WorkflowOptions {
  /** Project root (holds environments/ and cdktf.out/). */
  readonly root: string;
  /**
   * Environment name (`environments/<name>.yaml`); with `app`, the name of the app's stack, or ""
   * for the app's only stack.
   */
  readonly env: string;
  /** A cdktf app whose stack `env` names, instead of an environment spec. @default none (environments/<env>.yaml) */
  readonly app?: CdktfApp;
  /** Progress output. @default console.log */
  readonly log?: (line: string) => void;
  /** A target to use instead of resolving one (tests pass a running simulator). @default resolved from the environment */
  readonly target?: Target;
  /** `--sim`: use the embedded simulator for a non-dev environment. @default false */
  readonly sim?: boolean;
  /**
   * Asked before anything is destroyed or replaced; resolves true to go on. Without it nothing
   * destructive runs.
   * @default refuse
   */
  readonly consent?: (request: ConsentRequest) => Promise<boolean>;
  /** `up`/`destroy`: plan and run the preflight only, change nothing. @default false */
  readonly dryRun?: boolean;
  /** `destroy`: lift `protection` of the VMs that have it (an apply that changes only that) first. @default false */
  readonly unprotect?: boolean;
}

/** What a run asks consent for. */
export interface ConsentRequest {
  readonly action: "up" | "destroy";
  readonly env: string;
  /** Every resource the run destroys or replaces (the plan review's "Destroy and replace" list). */
  readonly changes: readonly DestructiveChange[];
  /** VMs whose protection the run lifts before destroying (`destroy --unprotect`). */
  readonly unprotect: readonly string[];
}

/** Thrown when consent was not given; nothing was changed. */
export class ConsentRefused extends Error {}

/** What a workflow did. */
export interface WorkflowResult {
  readonly counts: PlanCounts;
  /** Terraform outputs after the run (values of sensitive outputs are left out). */
  readonly outputs: Record<string, unknown>;
  /** Readable lines about the changes (plan, drift). */
  readonly changes: readonly string[];
  readonly target: string;
  /** The plan, read (resources named by construct path), for the plan review. */
  readonly plan?: TerraformPlan;
  /** Guests of the environment that the state does not record (`up`, `drift`). */
  readonly orphans?: readonly Orphan[];
  /** The app's stack as synthesised (name, working directory, annotations), for an app. */
  readonly stack?: ManifestStack;
}

/**
 * A run found something: a change (see `hasChanges`) or an orphan, which is drift too — `drift`
 * exits 2 on it and the audit log does not call it "no change".
 */
export function hasChangesOrOrphans(result: Pick<WorkflowResult, "counts" | "orphans">): boolean {
  return hasChanges(result.counts) || (result.orphans?.length ?? 0) > 0;
}

type Step = (tf: TerraformCli, log: (l: string) => void, ctx: StepContext) => Promise<Omit<WorkflowResult, "target">>;

async function withEnvironment(
  action: AuditRecord["action"],
  opts: WorkflowOptions,
  step: Step,
  audit: Pick<AuditRecord, "keys"> = {},
): Promise<WorkflowResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  let target: Target | undefined;
  let ownTarget = false;
  let name = opts.env;
  try {
    let stack: ManifestStack | undefined;
    let workdir: string;
    if (opts.app) {
      // The command itself is not logged: it is the user's, and may carry a value they keep private.
      log(`Synthesising the cdktf app (command from ${opts.app.origin})…`);
      stack = await synthAppStack(opts.app, { stack: opts.env || undefined, allowErrors: action === "review" });
      name = stack.name;
      workdir = stack.workdir;
    } else {
      log(`Synthesising environments/${opts.env}.yaml…`);
      workdir = synthEnvironment(opts.root, opts.env).workdir;
    }
    target = opts.target;
    if (!target) {
      // An app has no stage: the simulator serves it only when chosen (--sim).
      target = await resolveTarget({ root: opts.root, env: opts.app ? undefined : name, sim: opts.sim });
      ownTarget = true;
      if (target.simulated) log(`PROXMOX_VE_ENDPOINT is not set: using the ${target.description}.`);
    }
    log(`Target: ${target.description}`);
    if (!opts.app) requireStateBackend(workdir, name);
    await requireTargetReady(target, workdir, opts.app ? `stack ${name}` : name, log, opts.app ? undefined : name);
    const tf = new TerraformCli({ workdir, env: target.env, onLine: progressFilter(log) });
    // An environment keeps its local state in .state/<env>/; an app's local backend (cdktf's
    // default) writes terraform.<stack>.tfstate into the project folder.
    const stateDir = opts.app ? opts.app.dir : path.join(opts.root, ".state", name);
    if (!opts.app) privateDir(stateDir);
    privateDir(path.join(workdir, "plans"));
    removeStalePlans(path.join(workdir, "plans"));
    log("terraform init…");
    await tf.init();
    let result: Omit<WorkflowResult, "target">;
    try {
      result = await step(tf, log, { target, root: opts.root, env: name, fromApp: opts.app !== undefined });
    } finally {
      removeStalePlans(path.join(workdir, "plans"));
      restrictSecretFiles(stateDir);
      restrictSecretFiles(workdir);
    }
    const noChange = !hasChangesOrOrphans(result);
    appendAudit(opts.root, {
      action,
      env: name,
      result: action === "drift" && !noChange ? "drift" : noChange ? "no-changes" : "ok",
      durationMs: Date.now() - started,
      counts: { ...result.counts },
      target: target.description,
      ...audit,
    });
    return { ...result, target: target.description, ...(stack ? { stack } : {}) };
  } catch (e) {
    appendAudit(opts.root, {
      action,
      env: name,
      result: "error",
      durationMs: Date.now() - started,
      error: (e as Error).message,
      target: target?.description,
      ...audit,
    });
    throw e;
  } finally {
    if (ownTarget) await target?.stop();
  }
}

/** Shows Terraform's per-resource progress lines, not its full plan rendering. */
function progressFilter(log: (l: string) => void): (line: string) => void {
  return (line) => {
    if (/: (Creating|Modifying|Destroying|Creation complete|Modifications complete|Destruction complete|Still )/.test(line)) log(`  ${line.trim()}`);
  };
}

/** A plan file of this process: concurrent runs in one project never apply each other's plans. */
function planFile(action: string): string {
  return path.join("plans", `${action}-${process.pid}.tfplan`);
}

/** A plan, read; `json` is the raw document, only for its `configuration` section (orphans). */
interface Planned {
  readonly counts: PlanCounts;
  readonly changes: string[];
  readonly plan: TerraformPlan;
  readonly json: Record<string, unknown>;
}

async function planToFile(tf: TerraformCli, file: string, extra: readonly string[] = []): Promise<Planned> {
  fs.mkdirSync(path.join(tf.workdir, path.dirname(file)), { recursive: true });
  await tf.plan(["-out", file, ...extra]);
  const json = await tf.showJson(file);
  const plan = readPlan(json, { constructPaths: readConstructPaths(tf.workdir) });
  const changes = plan.changes.map((c) => `${c.actions.join("/")} ${c.address}`);
  return { counts: countPlan(plan), changes, plan, json };
}

async function publicOutputs(tf: TerraformCli): Promise<Record<string, unknown>> {
  const raw = await tf.outputs();
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([, v]) => !v.sensitive)
      .map(([k, v]) => [k, v.value]),
  );
}

async function ask(opts: WorkflowOptions, request: ConsentRequest): Promise<void> {
  const consent = opts.consent ?? (() => Promise.resolve(false));
  if (!(await consent(request))) throw new ConsentRefused(`${request.action} ${request.env}: not confirmed — nothing was changed.`);
}

/**
 * Plans and, when there are changes, applies the environment; prints the outputs. A plan that
 * destroys or replaces anything is first checked against what PVE will refuse, then needs consent.
 */
export function up(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("up", opts, async (tf, log, ctx) => {
    const file = planFile("up");
    let planned = await planToFile(tf, file);
    const companions = replaceCompanions(planned.plan);
    if (companions.length) {
      log(`Replacing too what PVE deletes with the replaced VMs (firewall, HA, backup job): ${companions.join(", ")}`);
      planned = await planToFile(
        tf,
        file,
        companions.map((a) => `-replace=${a}`),
      );
    }
    const { counts, changes, plan, json } = planned;
    log(formatCounts(counts));
    const dangerous = destructiveChanges(plan);
    formatDestructiveChanges(dangerous).forEach((l) => log(l));
    const orphans = await orphansOf(tf, ctx, json, log);
    if (dangerous.length) {
      const blockers = await preflight(
        plan,
        ctx,
        `set "protection: false" in environments/${opts.env}.yaml, run \`proxmox-cdk up ${opts.env}\`, then make this change`,
      );
      if (blockers.length) throw new DestroyRefused(blockers, `up ${opts.env}`);
    }
    if (opts.dryRun) {
      log("Dry run: nothing applied.");
      return { counts, changes, outputs: {}, orphans };
    }
    if (hasChanges(counts)) {
      if (dangerous.length) await ask(opts, { action: "up", env: opts.env, changes: dangerous, unprotect: [] });
      log("terraform apply…");
      await tf.must(["apply", "-no-color", "-input=false", file]);
    }
    if (!ctx.fromApp) await removeAdoptedPasswords(ctx.root, ctx.env, ctx.target, log);
    return { counts, changes, outputs: await publicOutputs(tf), orphans };
  });
}

/** How {@link applyInPlace} runs. */
export interface InPlaceRun {
  /** Audit fields of the run, recorded whatever its result. */
  readonly audit: Pick<AuditRecord, "keys">;
  /** Why only in-place updates are acceptable, for the refusal, e.g. "rotate-keys changes keys in place". */
  readonly purpose: string;
  /**
   * Runs once the plan is known to update resources in place only, before it is applied (not in a
   * dry run); reads the Terraform outputs through `outputs`.
   */
  readonly beforeApply: (log: (line: string) => void, outputs: () => Promise<Record<string, unknown>>) => Promise<void>;
}

/** Thrown when a plan that must only update in place would create, destroy or replace; nothing was changed. */
export class NotInPlace extends Error {}

/**
 * Plans the environment and applies the plan only when every change is an in-place update: a
 * create, destroy or replace is refused before anything runs (`up` is the command that asks consent
 * for those). `beforeApply` runs between the plan and the apply.
 */
export function applyInPlace(action: AuditRecord["action"], opts: WorkflowOptions, run: InPlaceRun): Promise<WorkflowResult> {
  return withEnvironment(
    action,
    opts,
    async (tf, log) => {
      const file = planFile(action);
      const { counts, changes, plan } = await planToFile(tf, file);
      log(formatCounts(counts));
      const other = plan.changes.filter((c) => c.action !== "update");
      if (other.length > 0) {
        throw new NotInPlace(
          `${run.purpose}, but the plan would also ${other.map((c) => `${c.action} ${resourceLabel(c)}`).join(", ")}. Nothing was changed. ` +
            `Apply those changes first with \`proxmox-cdk up ${opts.env}\` (it asks before destroying or replacing anything).`,
        );
      }
      if (opts.dryRun) {
        log("Dry run: nothing applied.");
        return { counts, changes, outputs: {} };
      }
      await run.beforeApply(log, () => publicOutputs(tf));
      if (hasChanges(counts)) {
        log("terraform apply…");
        await tf.must(["apply", "-no-color", "-input=false", file]);
      }
      return { counts, changes, outputs: await publicOutputs(tf) };
    },
    run.audit,
  );
}

/** Plans the environment without changing anything. */
export function plan(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("plan", opts, async (tf, log) => {
    const { counts, changes } = await planToFile(tf, planFile("plan"));
    log(formatCounts(counts));
    return { counts, changes, outputs: {} };
  });
}

/** Plans the environment and returns the plan, read, with construct paths (for `proxmox-cdk review`). */
export function reviewPlan(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("review", opts, async (tf) => {
    const { counts, changes, plan } = await planToFile(tf, planFile("review"));
    return { counts, changes, outputs: {}, plan };
  });
}

/**
 * Destroys every resource of the environment — only after a preflight finds nothing PVE will
 * refuse (so no environment is left half destroyed: firewall, HA and backups gone, VMs still
 * running) and with consent. `unprotect` lifts VM protection first, in an apply of its own.
 */
export function destroy(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("destroy", opts, async (tf, log, ctx) => {
    const file = planFile("destroy");
    let planned = await planToFile(tf, file, ["-destroy"]);
    log(formatCounts(planned.counts));
    const dangerous = destructiveChanges(planned.plan);
    formatDestructiveChanges(dangerous).forEach((l) => log(l));
    if (dangerous.length === 0) return { counts: planned.counts, changes: planned.changes, outputs: {} };
    const blockers = await preflight(planned.plan, ctx, `proxmox-cdk destroy ${opts.env} --unprotect`);
    const liftable = opts.unprotect ? blockers.filter((b) => b.code === "protection") : [];
    const others = blockers.filter((b) => !liftable.includes(b));
    if (others.length) throw new DestroyRefused(others, `destroy ${opts.env}`);
    if (liftable.length) log(`--unprotect: protection of ${liftable.length} VM(s) is lifted first, in an apply that changes nothing else.`);
    if (opts.dryRun) {
      log("Dry run: nothing destroyed.");
      return { counts: planned.counts, changes: planned.changes, outputs: {} };
    }
    await ask(opts, { action: "destroy", env: opts.env, changes: dangerous, unprotect: liftable.map((b) => b.address) });
    if (liftable.length) {
      await liftProtection(tf, { root: ctx.root, env: opts.env, addresses: liftable.map((b) => b.address), planFile: planFile("unprotect"), log });
      planned = await planToFile(tf, file, ["-destroy"]);
      const still = await preflight(planned.plan, ctx, `proxmox-cdk destroy ${opts.env} --unprotect`);
      if (still.length) throw new DestroyRefused(still, `destroy ${opts.env}`);
    }
    log("terraform apply (destroy)…");
    await tf.must(["apply", "-no-color", "-input=false", file]);
    return { counts: planned.counts, changes: planned.changes, outputs: {} };
  });
}

/**
 * Compares the real infrastructure with the state (a refresh-only plan): every attribute changed
 * outside Terraform is listed, and so is every orphan (a guest of the environment the state does
 * not record). Counts drifted resources as changes; orphans are in `orphans`.
 */
export function drift(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("drift", opts, async (tf, log, ctx) => {
    const { plan, json } = await planToFile(tf, planFile("drift"), ["-refresh-only"]);
    const drifted = plan.drift;
    const computedOnly = computedOnlyAttributes(await tf.showJsonOf(["providers", "schema", "-json"]));
    // Values only the provider sets (a pool's members, a VM's agent-reported IPs) change by design,
    // and a provider reading an unset list back as [] is no change: report real differences only.
    const reports = drifted
      .map((d) => ({
        deleted: d.action === "delete",
        lines:
          d.action === "delete"
            ? [`${d.address}: deleted outside Terraform`]
            : attributeChanges(omit(d.before, computedOnly.get(d.type)), omit(d.after, computedOnly.get(d.type)), d).map(
                (a) => `${d.address}: ${formatAttributeChange(a)}`,
              ),
      }))
      .filter((r) => r.lines.length > 0);
    const orphans = await orphansOf(tf, ctx, json, log, true);
    const changes = [
      ...reports.flatMap((r) => r.lines),
      ...orphans.map(
        (o) => `${o.type === "lxc" ? "CT" : "VM"} ${o.vmId} "${o.name}" on ${o.node}: in the environment's ${o.mark}, not in the Terraform state (orphan)`,
      ),
    ];
    log(
      reports.length ? `Drift: ${reports.length} resource(s) changed outside Terraform.` : orphans.length ? "No drift in the state's resources." : "No drift.",
    );
    const deleted = reports.filter((r) => r.deleted).length;
    return { counts: { add: 0, change: reports.length - deleted, destroy: deleted, replace: 0 }, changes, outputs: {}, orphans };
  });
}

/** Attributes each resource type has that only the provider sets (computed, neither optional nor required). */
export function computedOnlyAttributes(schema: Record<string, unknown>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const providers = (schema.provider_schemas ?? {}) as Record<
    string,
    { resource_schemas?: Record<string, { block: { attributes?: Record<string, { computed?: boolean; optional?: boolean; required?: boolean }> } }> }
  >;
  for (const p of Object.values(providers)) {
    for (const [type, r] of Object.entries(p.resource_schemas ?? {})) {
      const names = Object.entries(r.block.attributes ?? {})
        .filter(([, a]) => a.computed && !a.optional && !a.required)
        .map(([n]) => n);
      out.set(type, new Set(names));
    }
  }
  return out;
}

function omit(value: unknown, keys: Set<string> | undefined): unknown {
  if (!keys || typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !keys.has(k)));
}
