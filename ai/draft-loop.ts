import type { Finding } from "../policy";
import { draftJsonSchema } from "./draft-schema";
import { CandidateVerdict, checkCandidate, RejectionStage } from "./candidate-check";
import { draftMessages, repairMessages, requestProblem } from "./draft-messages";
import type { ChatMessage, ChatModel } from "./ollama-chat";
import { OllamaError } from "./ollama-error";
import { checkDraftPolicy, PolicyGate } from "./policy-gate";
import type { PromptSet } from "./prompt-library";
import type { SiteFacts } from "./site-facts";

/** One call to the model and what the gates said about its answer. */
export interface DraftAttempt {
  /** 0 for the first answer, then 1, 2, … for repair rounds. */
  readonly round: number;
  /** The model's answer, verbatim. */
  readonly output: string;
  /** Gate that rejected it; undefined when it passed. */
  readonly rejectedBy?: RejectionStage;
  /** Problems fed back to the model (empty when it passed). */
  readonly problems: readonly string[];
  /** Policy findings, when the policy pack ran. */
  readonly findings: readonly Finding[];
  readonly durationMs: number;
}

/** Options of {@link draftSpec}. */
export interface DraftSpecOptions {
  /** The user's description of the environment (data, never instructions). */
  readonly request: string;
  readonly model: ChatModel;
  readonly prompts: PromptSet;
  readonly facts: SiteFacts;
  /** Environment name to force. @default the model chooses */
  readonly name?: string;
  /** Repair rounds after the first answer. @default 3 */
  readonly repairRounds?: number;
  /** The policy check. @default checkDraftPolicy (the real policy pack) */
  readonly policyGate?: PolicyGate;
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
  /** Streaming progress: characters of the current answer. @default none */
  readonly onProgress?: (chars: number) => void;
}

/** Outcome of {@link draftSpec}. */
export type DraftSpecResult =
  | (Extract<CandidateVerdict, { ok: true }> & { readonly attempts: readonly DraftAttempt[] })
  | {
      readonly ok: false;
      /** Ollama failed (the error says how to fix it); undefined when the answers were rejected. */
      readonly error?: OllamaError;
      /** Problems of the last answer. */
      readonly problems: readonly string[];
      /** Policy findings of the last answer. */
      readonly findings: readonly Finding[];
      readonly attempts: readonly DraftAttempt[];
    };

/**
 * Asks the model for a spec constrained by the spec's JSON Schema, runs the answer through every
 * gate (JSON, schema, site facts, policy pack), and feeds the exact problems back for at most
 * `repairRounds` more answers. A failure of Ollama itself ends the draft at once (no repair round
 * can fix it) and is returned as `error` with the answers received so far.
 */
export async function draftSpec(opts: DraftSpecOptions): Promise<DraftSpecResult> {
  const rounds = opts.repairRounds ?? 3;
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > 10) throw new Error(`repair rounds must be a whole number 0..10, got ${rounds}.`);
  const problem = requestProblem(opts.request);
  if (problem) throw new Error(`draft: ${problem}.`);
  const log = opts.log ?? (() => undefined);
  const format = draftJsonSchema();
  const opening = draftMessages(opts.prompts, opts.request, opts.facts);
  const attempts: DraftAttempt[] = [];
  let messages: ChatMessage[] = opening;
  for (let round = 0; round <= rounds; round++) {
    log(round === 0 ? `Asking ${opts.model.name} at ${opts.model.host}…` : `Repair round ${round} of ${rounds}…`);
    let reply;
    try {
      reply = await opts.model.chat({ messages, format, onProgress: opts.onProgress });
    } catch (e) {
      if (!(e instanceof OllamaError)) throw e;
      const last = attempts[attempts.length - 1];
      return { ok: false, error: e, problems: last?.problems ?? [], findings: last?.findings ?? [], attempts };
    }
    const verdict = checkCandidate(reply.content, { facts: opts.facts, policyGate: opts.policyGate ?? checkDraftPolicy, name: opts.name });
    if (verdict.ok) {
      attempts.push({ round, output: reply.content, problems: [], findings: verdict.findings, durationMs: reply.durationMs });
      return { ok: true, spec: verdict.spec, env: verdict.env, findings: verdict.findings, replaced: verdict.replaced, attempts };
    }
    attempts.push({
      round,
      output: reply.content,
      rejectedBy: verdict.stage,
      problems: verdict.problems,
      findings: verdict.findings,
      durationMs: reply.durationMs,
    });
    log(`  rejected by the ${verdict.stage} check: ${verdict.problems.length} problem(s)`);
    messages = repairMessages(opts.prompts, opening, reply.content, verdict.problems);
  }
  const last = attempts[attempts.length - 1];
  return { ok: false, problems: last.problems, findings: last.findings, attempts };
}
