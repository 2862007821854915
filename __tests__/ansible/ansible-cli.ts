import * as path from "path";
import { CommandResult, runChecked, runCommand, tail } from "./run-command";
import { scalarText } from "../../terraform/scalar-text";

/** Repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The Ansible project (site.yml, roles/, ansible.cfg, .ansible-lint). */
export const ANSIBLE_DIR = path.join(REPO_ROOT, "ansible");

/** Environment every ansible process of the tests runs with. */
export const ANSIBLE_ENV: Record<string, string> = {
  ANSIBLE_CONFIG: path.join(ANSIBLE_DIR, "ansible.cfg"),
  ANSIBLE_NOCOLOR: "1",
  ANSIBLE_FORCE_COLOR: "0",
  NO_COLOR: "1",
  PY_COLORS: "0",
};

/** Installs ansible, ansible-lint and debootstrap from Debian when missing (idempotent, quiet). */
export async function installAnsibleDeps(): Promise<void> {
  await runChecked("bash", [path.join(REPO_ROOT, "scripts", "install-ansible-deps.sh")]);
}

/** Per-host counters of the play recap. */
export interface HostStats {
  readonly ok: number;
  readonly changed: number;
  readonly failures: number;
  readonly unreachable: number;
  readonly skipped: number;
}

/** A task result of one host, as the json callback reports it. */
export interface TaskResult {
  readonly task: string;
  readonly changed: boolean;
  readonly failed: boolean;
  readonly skipped: boolean;
  readonly msg: string;
}

/** A finished ansible-playbook run, parsed from the ansible.posix.json callback. */
export interface PlaybookRun {
  readonly status: number | null;
  readonly stats: Record<string, HostStats>;
  readonly results: readonly TaskResult[];
  /** Everything printed, for failure messages. */
  readonly output: string;
}

interface JsonCallbackOutput {
  stats: Record<string, HostStats>;
  plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
}

/** Runs ansible-playbook with the json callback and returns the recap and every task result. */
export async function runPlaybook(args: readonly string[]): Promise<PlaybookRun> {
  const result = await runCommand("ansible-playbook", args, {
    cwd: ANSIBLE_DIR,
    env: { ...ANSIBLE_ENV, ANSIBLE_STDOUT_CALLBACK: "ansible.posix.json" },
  });
  const output = `${result.stdout}\n${result.stderr}`;
  let parsed: JsonCallbackOutput;
  try {
    parsed = JSON.parse(result.stdout) as JsonCallbackOutput;
  } catch {
    // Errors before the first play (bad inventory, syntax) never reach the callback.
    return { status: result.status, stats: {}, results: [], output };
  }
  const results = parsed.plays.flatMap((play) =>
    play.tasks.flatMap((t) =>
      Object.values(t.hosts).map((r) => ({
        task: t.task.name,
        changed: r.changed === true,
        failed: r.failed === true,
        skipped: r.skipped === true,
        msg: messageOf(r),
      })),
    ),
  );
  return { status: result.status, stats: parsed.stats, results, output };
}

/** The task's message; for a loop, the messages of its failed items (the task's own just says "One or more items failed"). */
function messageOf(result: Record<string, unknown>): string {
  const items = Array.isArray(result.results) ? (result.results as Record<string, unknown>[]) : [];
  const failedItems = items.filter((i) => i.failed === true).map((i) => scalarText(i.msg ?? ""));
  if (failedItems.length > 0) return failedItems.join("\n");
  return typeof result.msg === "string" ? result.msg : "";
}

/** Short human summary of a run: the recap and the failed tasks with their messages. */
export function describeRun(run: PlaybookRun): string {
  const failed = run.results.filter((r) => r.failed).map((r) => `  FAILED ${r.task}: ${r.msg}`);
  const changed = run.results.filter((r) => r.changed).map((r) => `  changed ${r.task}`);
  return [
    `exit ${run.status}, stats ${JSON.stringify(run.stats)}`,
    ...failed,
    ...changed,
    failed.length === 0 && run.status !== 0 ? tail(run.output, 30) : "",
  ].join("\n");
}

/** Runs a tool of the ansible suite (ansible-lint, ansible-playbook --syntax-check) in ANSIBLE_DIR. */
export function runAnsibleTool(command: string, args: readonly string[], cwd = ANSIBLE_DIR): Promise<CommandResult> {
  return runCommand(command, args, { cwd, env: ANSIBLE_ENV });
}
