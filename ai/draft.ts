import * as path from "path";
import { appendAudit, AuditRecord } from "../deploy/audit-log";
import { formatCounts, PlanCounts } from "../terraform/terraform-plan";
import type { Target } from "../deploy/target";
import { plan } from "../deploy/workflow";
import { formatFinding } from "../policy";
import type { EnvironmentSpec } from "../envspec";
import { assertWritable, DraftExistsError, renderDraft, writeDraft } from "./draft-file";
import { DraftAttempt, draftSpec, DraftSpecOptions } from "./draft-loop";
import { explainEnvironment } from "./explain";
import { writeFailureReport } from "./failure-report";
import type { ExplainLevel } from "./prompt-library";
import { terminalSafe } from "./terminal-text";

/** What a plan of the drafted environment produced. */
export interface PlanOutcome {
  readonly counts: PlanCounts;
  /** One line per resource change, e.g. `create proxmox_virtual_environment_vm.x`. */
  readonly changes: readonly string[];
  /** Target description. */
  readonly target: string;
}

/** Plans a written environment (`environments/<env>.yaml` under `root`). */
export type Planner = (root: string, env: string, log: (line: string) => void) => Promise<PlanOutcome>;

/** The real plan step: deploy/workflow.ts `plan` against `target`, or the one resolved from the environment. */
export function workflowPlanner(target?: Target): Planner {
  return async (root, env, log) => plan({ root, env, log: (l) => log(`  ${l}`), ...(target ? { target } : {}) });
}

/** Resource changes listed after a draft; `plan` lists them all. */
const MAX_CHANGE_LINES = 40;

/** Exit codes of `proxmox-cdk draft`. */
export const DRAFT_EXIT = {
  /** Written (and planned, unless skipped). */
  ok: 0,
  /** No clean spec after every repair round, or the plan of the written file failed. */
  rejected: 1,
  /** Ollama failed: unreachable, model missing, timeout, context too long. */
  modelError: 3,
  /** The environment file exists and --force was not given. */
  exists: 4,
} as const;

/** Options of {@link draft}. */
export interface DraftOptions extends Omit<DraftSpecOptions, "log"> {
  /** Project root (holds environments/ and .state/). */
  readonly root: string;
  /** Replace an existing environment file. @default false */
  readonly force?: boolean;
  /** Plan step after writing; null skips it. @default workflowPlanner() */
  readonly planner?: Planner | null;
  /** Print an explanation of the environment at this level. @default none */
  readonly explain?: ExplainLevel;
  /** Output lines, already stripped of control characters. @default console.log */
  readonly log?: (line: string) => void;
}

/** What {@link draft} did. */
export interface DraftOutcome {
  readonly exitCode: number;
  /** The environment file written, if any. */
  readonly file?: string;
  /** `.state/drafts/<time>.json`, when a failed draft left one. */
  readonly failureFile?: string;
  readonly spec?: EnvironmentSpec;
  readonly attempts: readonly DraftAttempt[];
  readonly plan?: PlanOutcome;
  readonly explanation?: string;
}

/**
 * `proxmox-cdk draft`: request → model → JSON → schema → site facts → policy pack (→ repair
 * rounds) → `environments/<name>.yaml` written atomically → plan → optional explanation.
 * Nothing is written under environments/ unless every gate passed; a failed draft leaves the
 * model's answers and the problems in `.state/drafts/`. One audit line either way.
 */
export async function draft(opts: DraftOptions): Promise<DraftOutcome> {
  const started = Date.now();
  // Lines can quote the model's answers or explanation: print them without control characters.
  const out = opts.log ?? ((l: string) => console.log(l));
  const log = (line: string) => out(terminalSafe(line));
  const audit = (env: string, result: AuditRecord["result"], attempts: readonly DraftAttempt[], error?: string) =>
    appendAudit(opts.root, {
      action: "draft",
      env,
      result,
      durationMs: Date.now() - started,
      counts: { answers: attempts.length, repairRounds: Math.max(0, attempts.length - 1) },
      target: `${opts.model.name} at ${opts.model.host}`,
      ...(error ? { error } : {}),
    });
  const refuse = (e: DraftExistsError, env: string, attempts: readonly DraftAttempt[]): DraftOutcome => {
    log(e.message);
    audit(env, "error", attempts, e.message);
    return { exitCode: DRAFT_EXIT.exists, attempts };
  };
  if (opts.name) {
    try {
      assertWritable(opts.root, opts.name, opts.force ?? false);
    } catch (e) {
      if (e instanceof DraftExistsError) return refuse(e, opts.name, []);
      throw e;
    }
  }
  log(`Site facts from ${opts.facts.source}; prompts ${opts.prompts.version}.`);
  const result = await draftSpec({ ...opts, log });
  if (!result.ok) {
    const reason = result.error
      ? result.error.message
      : `no answer passed every check after ${result.attempts.length} answer(s); last problems:\n${result.problems.map((p) => `  - ${p}`).join("\n")}`;
    const failureFile = result.attempts.length
      ? writeFailureReport(opts.root, {
          request: opts.request,
          model: opts.model.name,
          host: opts.model.host,
          promptVersion: opts.prompts.version,
          factsSource: opts.facts.source,
          reason,
          attempts: result.attempts,
        })
      : undefined;
    log(`Draft failed: ${reason}`);
    if (!result.error && result.findings.length) {
      log("Policy findings of the last answer:");
      result.findings.forEach((f) => log(`  ${formatFinding(f)}`));
    }
    log(`Nothing was written under environments/.${failureFile ? ` The model's answers and the problems: ${path.relative(opts.root, failureFile)}` : ""}`);
    audit(opts.name ?? "(none)", "error", result.attempts, reason);
    return { exitCode: result.error ? DRAFT_EXIT.modelError : DRAFT_EXIT.rejected, failureFile, attempts: result.attempts };
  }

  const spec = result.spec;
  const text = renderDraft(spec, { model: opts.model.name, promptVersion: opts.prompts.version, request: opts.request, factsSource: opts.facts.source });
  let file: string;
  try {
    file = writeDraft(opts.root, spec, text, opts.force ?? false);
  } catch (e) {
    if (e instanceof DraftExistsError) return refuse(e, spec.name, result.attempts);
    throw e;
  }
  log(`Wrote ${path.relative(opts.root, file)} (${result.attempts.length} answer(s) from ${opts.model.name}).`);
  result.replaced.forEach((r) => log(`  note: ${r}`));
  result.findings.forEach((f) => log(`  ${formatFinding(f)}`));

  let planned: PlanOutcome | undefined;
  let exitCode: number = DRAFT_EXIT.ok;
  const planner = opts.planner === undefined ? workflowPlanner() : opts.planner;
  if (planner) {
    log(`Planning ${spec.name}…`);
    try {
      planned = await planner(opts.root, spec.name, log);
      log(`Planned ${spec.name} (${planned.target}): ${formatCounts(planned.counts).replace(/^Plan: /, "")}`);
      planned.changes.slice(0, MAX_CHANGE_LINES).forEach((c) => log(`  ${c}`));
      if (planned.changes.length > MAX_CHANGE_LINES)
        log(`  … and ${planned.changes.length - MAX_CHANGE_LINES} more (proxmox-cdk plan ${spec.name} lists them all)`);
    } catch (e) {
      exitCode = DRAFT_EXIT.rejected;
      log(`The plan failed: ${(e as Error).message}`);
      log(`${path.relative(opts.root, file)} passed every check and is kept; fix the target, then run \`proxmox-cdk plan ${spec.name}\`.`);
    }
  }
  let explanation: string | undefined;
  if (opts.explain) {
    try {
      explanation = await explainEnvironment(opts.model, opts.prompts, opts.explain, spec);
      log("");
      log(`Explanation (${opts.explain}):`);
      explanation.split("\n").forEach((l) => log(l));
    } catch (e) {
      log(`No explanation: ${(e as Error).message}`);
    }
  }
  audit(spec.name, exitCode === DRAFT_EXIT.ok ? "ok" : "error", result.attempts, exitCode === DRAFT_EXIT.ok ? undefined : "plan failed");
  return { exitCode, file, spec, attempts: result.attempts, plan: planned, explanation };
}
