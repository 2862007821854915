import { parseDuration } from "./duration";
import { seededRandom } from "./seeded-random";

/** What a fault rule does when it fires. */
export type FaultEffect = { readonly status: number } | { readonly delayMs: number } | { readonly fail: true };

/** One parsed rule of a `--faults` spec. */
export interface FaultRule {
  /** The rule as written, for messages. */
  readonly source: string;
  readonly kind: "http" | "task";
  /** HTTP method (`*` = any); http rules only. */
  readonly method: string;
  /** Matches an API path without `/api2/json` (http rules) or a task type (task rules). */
  readonly pattern: RegExp;
  readonly effect: FaultEffect;
  /** Probability in [0, 1] that the rule fires on a matching request or task. */
  readonly rate: number;
}

/** What the faults decided for one request or task. */
export interface FaultDecision {
  /** Total extra delay in milliseconds. */
  readonly delayMs: number;
  /** HTTP status to answer instead of the handler (http rules). */
  readonly status?: number;
  /** Whether the task fails without running its work (task rules). */
  readonly fail: boolean;
}

const METHODS = new Set(["GET", "POST", "PUT", "DELETE", "*"]);

/** `*` = one path segment (or any task-type characters), `**` = any number of segments. */
function globToRegExp(glob: string, kind: "http" | "task"): RegExp {
  const parts = glob.split(/(\*\*|\*)/).map((p) => {
    if (p === "**") return ".*";
    if (p === "*") return kind === "http" ? "[^/]*" : ".*";
    return p.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  });
  return new RegExp(`^${parts.join("")}/?$`);
}

function parseEffect(text: string, kind: "http" | "task", rule: string): FaultEffect {
  if (text.startsWith("delay:")) return { delayMs: parseDuration(text.slice(6), `--faults rule "${rule}"`) };
  if (kind === "task") {
    if (text === "fail") return { fail: true };
    throw new Error(`--faults rule "${rule}": a task rule's effect is "fail" or "delay:<duration>", got "${text}"`);
  }
  const status = Number(text);
  if (!/^\d{3}$/.test(text) || status < 400 || status > 599) {
    throw new Error(`--faults rule "${rule}": an HTTP rule's effect is a status 400-599 or "delay:<duration>", got "${text}"`);
  }
  return { status };
}

/**
 * Parses a fault spec: comma-separated rules `TARGET=EFFECT[@RATE]`, where TARGET is
 * `METHOD:/path/glob` (METHOD = GET|POST|PUT|DELETE|*) or `task:<type glob>`, EFFECT is an HTTP
 * status (400-599), `delay:<duration>` or, for tasks, `fail`, and RATE is a probability (default 1).
 * Example: `POST:/nodes/*\/qemu/*\/clone=500@0.3,GET:/cluster/resources=delay:2s@0.1,task:qmclone=fail@0.5`.
 */
export function parseFaults(spec: string): FaultRule[] {
  return spec
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "")
    .map((rule) => {
      const eq = rule.lastIndexOf("=");
      if (eq <= 0) throw new Error(`--faults rule "${rule}": expected TARGET=EFFECT[@RATE], e.g. GET:/version=503@0.5`);
      const target = rule.slice(0, eq);
      let effectText = rule.slice(eq + 1);
      let rate = 1;
      const at = effectText.lastIndexOf("@");
      if (at !== -1) {
        rate = Number(effectText.slice(at + 1));
        effectText = effectText.slice(0, at);
        if (!(rate >= 0 && rate <= 1)) throw new Error(`--faults rule "${rule}": the rate after @ must be between 0 and 1`);
      }
      const colon = target.indexOf(":");
      const head = target.slice(0, colon);
      const glob = target.slice(colon + 1);
      if (colon <= 0 || glob === "") throw new Error(`--faults rule "${rule}": the target must be METHOD:/path or task:<type>`);
      if (head === "task")
        return { source: rule, kind: "task", method: "*", pattern: globToRegExp(glob, "task"), effect: parseEffect(effectText, "task", rule), rate };
      if (!METHODS.has(head.toUpperCase()) || !glob.startsWith("/")) {
        throw new Error(`--faults rule "${rule}": the target must be METHOD:/path (METHOD = GET, POST, PUT, DELETE or *) or task:<type>`);
      }
      return {
        source: rule,
        kind: "http",
        method: head.toUpperCase(),
        pattern: globToRegExp(glob, "http"),
        effect: parseEffect(effectText, "http", rule),
        rate,
      };
    });
}

/**
 * Decides faults with a seeded generator: every matching rule draws one number per request or
 * task, in rule order, so the same seed and the same sequence of requests give the same faults.
 */
export class FaultInjector {
  private readonly random: () => number;

  constructor(
    private readonly rules: readonly FaultRule[],
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** Decision for an HTTP request on `path` (unescaped, without `/api2/json`). */
  forRequest(method: string, path: string): FaultDecision {
    return this.decide((r) => r.kind === "http" && (r.method === "*" || r.method === method) && r.pattern.test(path));
  }

  /** Decision for a task of type `type` (e.g. `qmclone`). */
  forTask(type: string): FaultDecision {
    return this.decide((r) => r.kind === "task" && r.pattern.test(type));
  }

  private decide(matches: (r: FaultRule) => boolean): FaultDecision {
    let delayMs = 0;
    let status: number | undefined;
    let fail = false;
    for (const rule of this.rules) {
      if (!matches(rule)) continue;
      if (this.random() >= rule.rate) continue;
      const e = rule.effect;
      if ("delayMs" in e) delayMs += e.delayMs;
      else if ("status" in e) status ??= e.status;
      else fail = true;
    }
    return { delayMs, status, fail };
  }
}
