import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

// The pull-request workflow (.github/workflows/plan-review.yml) must run whenever a change can alter
// what `proxmox-cdk check` and `proxmox-cdk review` report: every source folder those commands load.

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOW = path.join(ROOT, ".github", "workflows", "plan-review.yml");

/** Top-level folders (and root files) of every module reachable from `entry` through relative imports. */
function reachableSources(entry: string): Set<string> {
  const seen = new Set<string>();
  const tops = new Set<string>();
  const queue = [path.join(ROOT, entry)];
  for (let guard = 0; queue.length > 0 && guard < 5000; guard++) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = path.relative(ROOT, file);
    tops.add(rel.includes(path.sep) ? `${rel.split(path.sep)[0]}/**` : rel);
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)"(\.{1,2}\/[^"]+)"/g)) {
      const base = path.resolve(path.dirname(file), m[1]);
      const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
      if (target && !target.includes(`${path.sep}.gen${path.sep}`)) queue.push(target);
    }
  }
  return tops;
}

describe("the plan-review workflow", () => {
  const workflow = parse(fs.readFileSync(WORKFLOW, "utf8")) as {
    on: { pull_request: { paths: string[] } };
    jobs: { review: { steps: { name?: string; uses?: string; if?: string }[] } };
  };

  it.each(["cli/commands/check.ts", "cli/commands/review.ts"])("runs on a change to any source folder %s loads", (entry) => {
    const paths = workflow.on.pull_request.paths;
    const missing = [...reachableSources(entry)].filter((p) => !paths.includes(p)).sort();
    expect(missing).toEqual([]);
  });

  it("uploads SARIF and comments only for pull requests from this repository (a fork's token may do neither)", () => {
    const steps = workflow.jobs.review.steps;
    const needsWrite = steps.filter((s) => s.uses?.startsWith("github/codeql-action/upload-sarif") || s.uses?.startsWith("actions/github-script"));
    expect(needsWrite).toHaveLength(2);
    for (const step of needsWrite) expect(step.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
  });
});
