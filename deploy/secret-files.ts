import * as fs from "fs";
import * as path from "path";

/**
 * Files Terraform writes that may hold secrets: the state (it records, e.g., the TerraformAccess
 * token secret), its backup, the lock info and saved plans (they embed the configuration and prior
 * state). They are kept to their owner: folders 0700, files 0600.
 */
const SECRET_FILE = /(\.tfstate(\.backup)?|\.tfplan|\.lock\.info)$/;

/** Creates `dir` (and parents) if needed and makes it 0700. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * Makes every state, plan and lock file under `dir` 0600 (one level of sub-folders, e.g.
 * `.terraform/`), for files a run before this rule — or a tool run by hand — left readable.
 */
export function restrictSecretFiles(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isFile() && SECRET_FILE.test(e.name)) fs.chmodSync(p, 0o600);
    else if (e.isDirectory() && (e.name === ".terraform" || e.name === "plans")) restrictSecretFiles(p);
  }
}

/** True while a process with this id runs (a plan file named after it may still be in use). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Deletes plan files (`<action>-<pid>.tfplan`) of this process and of processes that no longer run
 * — e.g. a run killed between plan and apply — and keeps those of concurrent runs.
 */
export function removeStalePlans(plansDir: string): void {
  if (!fs.existsSync(plansDir)) return;
  for (const f of fs.readdirSync(plansDir)) {
    const m = /-(\d+)\.tfplan$/.exec(f);
    if (m && (Number(m[1]) === process.pid || !alive(Number(m[1])))) fs.rmSync(path.join(plansDir, f), { force: true });
  }
}
