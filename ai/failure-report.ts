import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";
import type { DraftAttempt } from "./draft-loop";

/** What a failed draft leaves for inspection. */
export interface FailureReport {
  readonly request: string;
  readonly model: string;
  readonly host: string;
  readonly promptVersion: string;
  readonly factsSource: string;
  /** Why it failed, one line (the last problems, or the Ollama error). */
  readonly reason: string;
  /** Every answer the model gave and what the gates said about it. */
  readonly attempts: readonly DraftAttempt[];
}

/** Folder of failure reports: `<root>/.state/drafts/`. */
export function failureDir(root: string): string {
  return path.join(root, ".state", "drafts");
}

/**
 * Writes `.state/drafts/<timestamp>.json` (never under environments/) and returns its path. The
 * model's answers are kept verbatim: they are what a prompt author needs to see.
 */
export function writeFailureReport(root: string, report: FailureReport, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[:.]/g, "-");
  const file = path.join(failureDir(root), `${stamp}-${process.pid}.json`);
  writeFileAtomic(file, JSON.stringify({ time: at.toISOString(), ...report }, null, 2) + "\n");
  return file;
}
