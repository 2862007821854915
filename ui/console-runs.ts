import { redact, Redactor } from "../deploy/redact";
import { parseVmRows } from "../deploy/vm-rows";
import { checkDeployedVms, VmCheck } from "../deploy/check-vms";
import { DestructiveChange, destructiveChanges, formatDestructiveChanges } from "../deploy/destructive-changes";
import { ConsentRefused, ConsentRequest, reviewPlan, up } from "../deploy/workflow";
import type { VmRow } from "../inventory/ansible-inventory";
import { policyFindingsFor } from "../review/review-findings";
import { renderReview } from "../review/review-markdown";
import { formatCounts, PlanCounts } from "../terraform/terraform-plan";
import { newSecret } from "./security";

/** The CLI's destroy/replace lines without their heading, one per resource. */
function destructiveLines(changes: readonly DestructiveChange[]): string[] {
  return formatDestructiveChanges(changes)
    .slice(1)
    .map((l) => l.trim());
}

/** What {@link consoleConsent} decides from. */
export interface ConsoleConsentProps {
  readonly env: string;
  /** What the user typed to confirm destroys and replaces. */
  readonly confirmation: string;
  /** The run the deploy form named as the reviewed plan (absent: the form named none, or an unknown id). */
  readonly reviewed?: ConsoleRun;
  readonly log: (line: string) => void;
  /** Receives the destroy/replace lines consent was asked for, to show when it is refused. */
  readonly refused: string[];
}

/**
 * The console's consent rule, the CLI's with one more condition: destroys and replaces are applied
 * only when the confirmation is the environment name AND each of them was in the plan the user
 * reviewed (a finished plan run of this environment): a spec edited or a cluster changed since the
 * review cannot slip a destroy past the confirmation.
 */
export function consoleConsent(p: ConsoleConsentProps): (request: ConsentRequest) => Promise<boolean> {
  const r = p.reviewed;
  const reviewedDestructive = new Set(r?.action === "plan" && r.env === p.env && r.state === "done" ? (r.outcome?.destructive ?? []) : []);
  return (request) => {
    const lines = destructiveLines(request.changes);
    p.refused.push(...lines);
    const unreviewed = lines.filter((l) => !reviewedDestructive.has(l));
    if (unreviewed.length > 0) {
      p.log(`${p.env} now destroys or replaces what the reviewed plan did not show (${unreviewed.join("; ")}): run a plan again and review it.`);
      return Promise.resolve(false);
    }
    const given = p.confirmation === p.env;
    p.log(
      given
        ? `Confirmed in the console: destroying or replacing ${request.changes.length} resource(s) of ${p.env}.`
        : `${p.env} destroys or replaces ${request.changes.length} resource(s): type the environment name to confirm.`,
    );
    return Promise.resolve(given);
  };
}

/** What a finished run shows. */
export interface RunOutcome {
  readonly summary: string;
  readonly changes: readonly string[];
  /** Plan review (Markdown), for plans. */
  readonly review?: string;
  /** One line per destroyed or replaced resource: a deploy of this plan needs the environment name typed. */
  readonly destructive: readonly string[];
  /** Guests after a deploy. */
  readonly vms?: readonly VmRow[];
  /** Post-deploy validation, per VM. */
  readonly checks?: readonly VmCheck[];
  readonly counts?: PlanCounts;
}

/** A plan or deploy started from the console; its log streams to the browser (SSE). */
export interface ConsoleRun {
  readonly id: string;
  readonly env: string;
  readonly action: "plan" | "up";
  readonly lines: string[];
  state: "running" | "done" | "failed" | "refused";
  outcome?: RunOutcome;
  error?: string;
}

/** Options of a console's runs. */
export interface ConsoleRunsOptions {
  readonly root: string;
  /** `--sim`: the embedded simulator for non-dev environments too. @default false */
  readonly sim?: boolean;
}

type Listener = (event: { readonly kind: "line"; readonly line: string } | { readonly kind: "end" }) => void;

/**
 * The console's runs. One at a time: a second plan or deploy while one runs is refused, so two
 * terraform processes (and two embedded simulators) never share a state. The workflows are the
 * CLI's own (`reviewPlan`, `up`, `checkDeployedVms`) with the same consent rule: a plan that
 * destroys or replaces anything is applied only when the request carried the environment name
 * typed as confirmation.
 */
export class ConsoleRuns {
  private readonly runs = new Map<string, ConsoleRun>();
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly opts: ConsoleRunsOptions) {}

  /** The run with this id. */
  get(id: string): ConsoleRun | undefined {
    return this.runs.get(id);
  }

  /** The run in progress, if any. */
  active(): ConsoleRun | undefined {
    return [...this.runs.values()].find((r) => r.state === "running");
  }

  /** Calls `listener` for each new line and at the end; returns the unsubscribe function. */
  subscribe(id: string, listener: Listener): () => void {
    const set = this.listeners.get(id) ?? new Set<Listener>();
    this.listeners.set(id, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Starts a plan (with the plan review and policy findings). */
  plan(env: string): ConsoleRun {
    return this.start(env, "plan", async (log) => {
      const result = await reviewPlan({ root: this.opts.root, env, sim: this.opts.sim, log });
      const plan = result.plan!;
      const review = renderReview({ env, plan, findings: policyFindingsFor(this.opts.root, env) });
      return {
        summary: `${formatCounts(result.counts)} (${result.target})`,
        changes: result.changes,
        review,
        destructive: destructiveLines(destructiveChanges(plan)),
        counts: result.counts,
      };
    });
  }

  /**
   * Starts a deploy. Destroys and replaces are consented to only when `confirmation` is the
   * environment name AND each of them was in the plan the user reviewed (`reviewedPlan`, the id of a
   * finished plan run of this environment): a spec edited or a cluster changed since the review
   * cannot slip a destroy past the confirmation.
   */
  up(env: string, confirmation: string, reviewedPlan = ""): ConsoleRun {
    const reviewed = this.runs.get(reviewedPlan);
    return this.start(env, "up", async (log, refused) => {
      const consent = consoleConsent({ env, confirmation, reviewed, log, refused });
      const result = await up({ root: this.opts.root, env, sim: this.opts.sim, consent, log });
      log("Post-deploy validation…");
      const checks = Array.isArray(result.outputs.vms) ? await checkDeployedVms(this.opts.root, env, { sim: this.opts.sim }) : [];
      const failed = checks.filter((c) => !c.ok).length;
      log(`${checks.length - failed} of ${checks.length} VMs pass.`);
      return {
        summary: `${formatCounts(result.counts)} (${result.target})`,
        changes: result.changes,
        destructive: [],
        vms: result.outputs.vms === undefined ? undefined : parseVmRows(result.outputs.vms, `the state of environment "${env}"`),
        checks,
        counts: result.counts,
      };
    });
  }

  private start(env: string, action: ConsoleRun["action"], work: (log: (line: string) => void, refused: string[]) => Promise<RunOutcome>): ConsoleRun {
    const busy = this.active();
    if (busy) throw new Error(`A ${busy.action} of ${busy.env} is running: wait for it to end (one run at a time).`);
    const run: ConsoleRun = { id: newSecret().slice(0, 16), env, action, lines: [], state: "running" };
    this.runs.set(run.id, run);
    const emit: Listener = (event) => this.listeners.get(run.id)?.forEach((l) => l(event));
    // One redactor per run: a private key logged line by line is hidden whole.
    const redactor = new Redactor();
    const log = (text: string) => {
      for (const line of redactor.lines(text)) {
        run.lines.push(line);
        emit({ kind: "line", line });
      }
    };
    const refused: string[] = [];
    work(log, refused).then(
      (outcome) => {
        run.outcome = outcome;
        run.state = "done";
        emit({ kind: "end" });
      },
      (e: Error) => {
        run.error = redact(e.message);
        run.state = e instanceof ConsentRefused ? "refused" : "failed";
        if (run.state === "refused") run.outcome = { summary: run.error, changes: [], destructive: refused };
        log(run.error);
        emit({ kind: "end" });
      },
    );
    return run;
  }
}
