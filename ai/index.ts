/**
 * The AI helper: draft an environment spec from plain language with a local Ollama model, behind
 * the same gates as a hand-written spec (schema, site facts, policy pack), and check the local
 * setup (`doctor`). See docs/ai-helper.md.
 */
export { draft, DRAFT_EXIT, workflowPlanner } from "./draft";
export type { DraftOptions, DraftOutcome, Planner, PlanOutcome } from "./draft";
export { draftSpec } from "./draft-loop";
export type { DraftAttempt, DraftSpecOptions, DraftSpecResult } from "./draft-loop";
export { checkCandidate, parseModelJson, formatIssue } from "./candidate-check";
export type { CandidateVerdict, RejectionStage } from "./candidate-check";
export { draftMessages, repairMessages, MAX_REQUEST_CHARS } from "./draft-messages";
export { renderDraft, writeDraft, DraftExistsError } from "./draft-file";
export type { DraftProvenance } from "./draft-file";
export { explainEnvironment } from "./explain";
export { loadPrompts, loadPromptFile, renderPrompt, EXPLAIN_LEVELS } from "./prompt-library";
export type { ExplainLevel, PromptSet, PromptFile } from "./prompt-library";
export { loadSiteFacts, siteFactsOf, pinSiteFacts } from "./site-facts";
export type { SiteFacts, SiteFactsOptions } from "./site-facts";
export { checkDraftPolicy } from "./policy-gate";
export type { PolicyGate } from "./policy-gate";
export { ollamaChatModel, DEFAULT_MODEL, DEFAULT_OLLAMA_HOST, modelName, ollamaHost } from "./ollama-chat";
export type { ChatModel, ChatMessage, ChatReply, OllamaChatOptions } from "./ollama-chat";
export { OllamaError, classifyOllamaError } from "./ollama-error";
export type { OllamaProblem } from "./ollama-error";
export { runDoctor, formatDoctorReport } from "./doctor";
export type { DoctorReport, DoctorCheck, DoctorOptions } from "./doctor";
export { detectHardware } from "./hardware";
export type { HardwareFacts } from "./hardware";
export { MODEL_TIERS, recommendTier } from "./model-tier";
export type { ModelTier } from "./model-tier";
