import * as fs from "fs";
import * as path from "path";
import { attributeChanges, formatAttributeChange } from "../terraform/attribute-changes";
import { readConstructPaths } from "../terraform/construct-paths";
import { TerraformCli } from "../terraform/terraform-cli";
import { countPlan, formatCounts, hasChanges, PlanCounts, readPlan, TerraformPlan } from "../terraform/terraform-plan";
import { appendAudit, AuditRecord } from "./audit-log";
import { synthEnvironment } from "./synth-environment";
import { requireStateBackend } from "./state-backend";
import { resolveTarget, Target } from "./target";
import { requireTargetReady } from "./target-preflight";

/** Options shared by the environment workflows. */
export interface WorkflowOptions {
  /** Project root (holds environments/ and cdktf.out/). */
  readonly root: string;
  /** Environment name (`environments/<name>.yaml`). */
  readonly env: string;
  /** Progress output. @default console.log */
  readonly log?: (line: string) => void;
  /** A target to use instead of resolving one (tests pass a running simulator). @default resolved from the environment */
  readonly target?: Target;
  /** `--sim`: use the embedded simulator for a non-dev environment. @default false */
  readonly sim?: boolean;
}

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
}

type Step = (tf: TerraformCli, log: (l: string) => void) => Promise<Omit<WorkflowResult, "target">>;

async function withEnvironment(action: AuditRecord["action"], opts: WorkflowOptions, step: Step): Promise<WorkflowResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  let target: Target | undefined;
  let ownTarget = false;
  try {
    log(`Synthesising environments/${opts.env}.yaml…`);
    const synth = synthEnvironment(opts.root, opts.env);
    target = opts.target;
    if (!target) {
      target = await resolveTarget({ root: opts.root, env: opts.env, sim: opts.sim });
      ownTarget = true;
      if (target.simulated) log(`PROXMOX_VE_ENDPOINT is not set: using the ${target.description}.`);
    }
    log(`Target: ${target.description}`);
    requireStateBackend(synth.workdir, opts.env);
    await requireTargetReady(target, synth.workdir, opts.env, log);
    const tf = new TerraformCli({ workdir: synth.workdir, env: target.env, onLine: progressFilter(log) });
    log("terraform init…");
    await tf.init();
    let result: Omit<WorkflowResult, "target">;
    try {
      result = await step(tf, log);
    } finally {
      removeOwnPlans(synth.workdir);
    }
    const noChange = !hasChanges(result.counts);
    appendAudit(opts.root, {
      action,
      env: opts.env,
      result: action === "drift" && !noChange ? "drift" : noChange ? "no-changes" : "ok",
      durationMs: Date.now() - started,
      counts: { ...result.counts },
      target: target.description,
    });
    return { ...result, target: target.description };
  } catch (e) {
    appendAudit(opts.root, { action, env: opts.env, result: "error", durationMs: Date.now() - started, error: (e as Error).message, target: target?.description });
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

/** Deletes this process's plan files (they may hold sensitive values of the configuration). */
function removeOwnPlans(workdir: string): void {
  const dir = path.join(workdir, "plans");
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir)) if (f.endsWith(`-${process.pid}.tfplan`)) fs.rmSync(path.join(dir, f), { force: true });
}

/** A plan file of this process: concurrent runs in one project never apply each other's plans. */
function planFile(action: string): string {
  return path.join("plans", `${action}-${process.pid}.tfplan`);
}

async function planToFile(tf: TerraformCli, file: string, extra: readonly string[] = []): Promise<{ counts: PlanCounts; changes: string[]; plan: TerraformPlan }> {
  fs.mkdirSync(path.join(tf.workdir, path.dirname(file)), { recursive: true });
  await tf.plan(["-out", file, ...extra]);
  const plan = readPlan(await tf.showJson(file), { constructPaths: readConstructPaths(tf.workdir) });
  const changes = plan.changes.map((c) => `${c.actions.join("/")} ${c.address}`);
  return { counts: countPlan(plan), changes, plan };
}

async function publicOutputs(tf: TerraformCli): Promise<Record<string, unknown>> {
  const raw = await tf.outputs();
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => !v.sensitive).map(([k, v]) => [k, v.value]));
}

/** Plans and, when there are changes, applies the environment; prints the outputs. */
export function up(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("up", opts, async (tf, log) => {
    const file = planFile("up");
    const { counts, changes } = await planToFile(tf, file);
    log(formatCounts(counts));
    if (hasChanges(counts)) {
      log("terraform apply…");
      await tf.must(["apply", "-no-color", "-input=false", file]);
    }
    return { counts, changes, outputs: await publicOutputs(tf) };
  });
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

/** Destroys every resource of the environment. */
export function destroy(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("destroy", opts, async (tf, log) => {
    const { counts, changes } = await planToFile(tf, planFile("destroy"), ["-destroy"]);
    log(formatCounts(counts));
    if (counts.destroy > 0) await tf.must(["apply", "-no-color", "-input=false", planFile("destroy")]);
    return { counts, changes, outputs: {} };
  });
}

/**
 * Compares the real infrastructure with the state (a refresh-only plan): every attribute changed
 * outside Terraform is listed. Counts drifted resources as changes.
 */
export function drift(opts: WorkflowOptions): Promise<WorkflowResult> {
  return withEnvironment("drift", opts, async (tf, log) => {
    const drifted = (await planToFile(tf, planFile("drift"), ["-refresh-only"])).plan.drift;
    const computedOnly = computedOnlyAttributes(await tf.showJsonOf(["providers", "schema", "-json"]));
    // Values only the provider sets (a pool's members, a VM's agent-reported IPs) change by design,
    // and a provider reading an unset list back as [] is no change: report real differences only.
    const reports = drifted
      .map((d) => ({
        deleted: d.action === "delete",
        lines:
          d.action === "delete"
            ? [`${d.address}: deleted outside Terraform`]
            : attributeChanges(omit(d.before, computedOnly.get(d.type)), omit(d.after, computedOnly.get(d.type)), d).map((a) => `${d.address}: ${formatAttributeChange(a)}`),
      }))
      .filter((r) => r.lines.length > 0);
    const changes = reports.flatMap((r) => r.lines);
    log(reports.length ? `Drift: ${reports.length} resource(s) changed outside Terraform.` : "No drift.");
    const deleted = reports.filter((r) => r.deleted).length;
    return { counts: { add: 0, change: reports.length - deleted, destroy: deleted, replace: 0 }, changes, outputs: {} };
  });
}

/** Attributes each resource type has that only the provider sets (computed, neither optional nor required). */
export function computedOnlyAttributes(schema: Record<string, unknown>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const providers = (schema.provider_schemas ?? {}) as Record<string, { resource_schemas?: Record<string, { block: { attributes?: Record<string, { computed?: boolean; optional?: boolean; required?: boolean }> } }> }>;
  for (const p of Object.values(providers)) {
    for (const [type, r] of Object.entries(p.resource_schemas ?? {})) {
      const names = Object.entries(r.block.attributes ?? {}).filter(([, a]) => a.computed && !a.optional && !a.required).map(([n]) => n);
      out.set(type, new Set(names));
    }
  }
  return out;
}

function omit(value: unknown, keys: Set<string> | undefined): unknown {
  if (!keys || typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !keys.has(k)));
}
