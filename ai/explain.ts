import type { EnvironmentSpec } from "../envspec";
import type { ChatModel } from "./ollama-chat";
import type { ExplainLevel, PromptSet } from "./prompt-library";
import { terminalSafe } from "./terminal-text";

/**
 * A plain-language explanation of a drafted environment for one audience, from the model, made
 * safe to print. The spec is sent as JSON data under the level's prompt
 * (`prompts/explain-<level>.md`).
 */
export async function explainEnvironment(model: ChatModel, prompts: PromptSet, level: ExplainLevel, spec: EnvironmentSpec): Promise<string> {
  const reply = await model.chat({
    messages: [
      { role: "system", content: prompts.explain[level].text },
      { role: "user", content: JSON.stringify({ environmentSpec: spec }, null, 2) },
    ],
  });
  return terminalSafe(reply.content).trim();
}
