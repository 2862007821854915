import type { ChatMessage } from "./ollama-chat";
import { PromptSet, renderPrompt } from "./prompt-library";
import { factsForPrompt, SiteFacts } from "./site-facts";

/** Longest request accepted: a description, not a document. */
export const MAX_REQUEST_CHARS = 4000;

/**
 * The user turn for one request. The request and the site facts travel as one JSON document, so
 * the request is a quoted string whatever it contains: no text in it can close a quote, fake a
 * heading or pose as a system message.
 */
export function requestTurn(prompts: PromptSet, request: string, facts: Readonly<Record<string, unknown>>): ChatMessage {
  const input = JSON.stringify({ siteFacts: facts, request }, null, 2);
  return { role: "user", content: renderPrompt(prompts.request, { input }) };
}

/**
 * The opening conversation of a draft: system prompt with the schema guide, the few-shot examples
 * as earlier turns, then the user's request.
 */
export function draftMessages(prompts: PromptSet, request: string, facts: SiteFacts): ChatMessage[] {
  const examples = prompts.examples.examples.flatMap((ex): ChatMessage[] => [
    requestTurn(prompts, ex.request, prompts.examples.facts),
    { role: "assistant", content: JSON.stringify(ex.spec) },
  ]);
  return [
    { role: "system", content: `${prompts.system.text}\n\n${prompts.schemaGuide.text}` },
    ...examples,
    requestTurn(prompts, request, factsForPrompt(facts)),
  ];
}

/**
 * The conversation of a repair round: the opening, the rejected answer, and the problems found.
 * Only the latest answer is kept, so the conversation stays the same size however many rounds run.
 */
export function repairMessages(prompts: PromptSet, opening: readonly ChatMessage[], rejected: string, problems: readonly string[]): ChatMessage[] {
  return [
    ...opening,
    { role: "assistant", content: rejected },
    { role: "user", content: renderPrompt(prompts.repair, { problems: problems.map((p) => `- ${p}`).join("\n") }) },
  ];
}

/** A usage problem with the request text, or undefined when it is fine. */
export function requestProblem(request: string): string | undefined {
  if (request.trim() === "")
    return 'the request is empty: describe the environment, e.g. "three web servers behind a bastion, postgres only reachable from web, prod"';
  if (request.length > MAX_REQUEST_CHARS) return `the request has ${request.length} characters; describe the environment in at most ${MAX_REQUEST_CHARS}`;
  return undefined;
}
