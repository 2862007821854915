/** One problem of a spec file, tied to its position. */
export interface SpecProblem {
  /** The file name as the caller gave it, e.g. `environments/prod.yaml`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** Spec path such as `tiers.web.count`, or "" for a YAML syntax problem. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Renders a problem as `environments/prod.yaml:14:9 tiers.web.count: must be between 1 and 500, got 0`. */
export function formatProblem(problem: SpecProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  return problem.path === "" ? `${where} ${problem.message}` : `${where} ${problem.path}: ${problem.message}`;
}

/** Orders problems as they appear in the file. */
export function compareProblems(a: SpecProblem, b: SpecProblem): number {
  return a.line - b.line || a.col - b.col || a.path.localeCompare(b.path) || a.message.localeCompare(b.message);
}

/**
 * Thrown when a spec file is not a valid environment: every problem found, in file order. Its
 * message lists them all, one per line, so a CLI can print it as is.
 */
export class SpecError extends Error {
  /** The problems, sorted by position. */
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    const sorted = [...problems].sort(compareProblems);
    const file = sorted[0]?.file ?? "environment spec";
    const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
    super(`${file}: ${count} in the environment spec\n${sorted.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.name = "SpecError";
    this.problems = sorted;
  }
}
