/**
 * Consent and secrets at rest, end to end on dev with the embedded simulator: what `npm start`
 * writes is private, a stale plan file goes, nothing is destroyed or replaced without consent
 * (no terminal here: `--yes` is the only way), and `--dry-run` changes nothing.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { filesUnder, npmStartCliArgs, readSimState, REPO, runCli, tempProject } from "./cli-project";

const project = tempProject(["dev"]);
const stateFile = path.join(project.root, ".state", "dev", "terraform.tfstate");
const plansDir = path.join(project.root, "cdktf.out", "stacks", "dev", "plans");

/** VM names the simulator holds (templates included). */
function simVmNames(): string[] {
  const vms = readSimState(project.simStateFile).slices.qemu.vms as Record<string, { conf: Record<string, string> }>;
  return Object.values(vms)
    .map((v) => v.conf.name)
    .sort();
}
/**
 * Runs the CLI on a terminal: util-linux `script` gives it a pseudo-terminal and types `typed`.
 * Returns what the terminal showed.
 */
function runCliOnTerminal(args: readonly string[], typed: string): { status: number | null; screen: string } {
  const q = (x: string) => `'${x.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, "--import", pathToFileURL(require.resolve("tsx")).href, path.join(REPO, "cli", "main.ts"), ...args].map(q).join(" ");
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PROXMOX_VE_|PROXMOX_CDK_|PG_|SSL_CERT_FILE$|TF_LOG|TF_CLI_ARGS)/.test(k)));
  const r = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: project.root,
    env: { ...env, TMPDIR: path.join(project.root, "tmp") },
    input: typed,
    encoding: "utf8",
    timeout: 240_000,
  });
  return { status: r.status, screen: `${r.stdout}${r.stderr}` };
}
const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);
const DEV_VMS = ["dev-app-1", "dev-bastion-1", "dev-db-1", "dev-debian12", "dev-web-1"];

describe("consent and private files on dev", () => {
  it("writes every state, plan and lock file 0600 and the state folder 0700 on npm start", async () => {
    // WHEN running what npm start runs on a fresh project
    const r = await runCli(project, npmStartCliArgs());
    expect([r.exitCode, r.stderr]).toEqual([0, expect.any(String)]);

    // THEN the state holding the environment's secrets is the owner's only
    expect(mode(stateFile)).toBe("600");
    expect(mode(path.dirname(stateFile))).toBe("700");
    const written = filesUnder(project.root).filter((f) => /(\.tfstate(\.backup)?|\.tfplan|\.lock\.info)$/.test(f));
    expect(written).toContain(stateFile);
    expect(written.map((f) => [path.relative(project.root, f), mode(f)])).toEqual(written.map((f) => [path.relative(project.root, f), "600"]));
  }, 240_000);

  it("removes a plan file an interrupted run left behind", async () => {
    // GIVEN a plan file of a process that no longer runs (pid far above any pid_max in use here)
    const stale = path.join(plansDir, "up-99999999.tfplan");
    fs.writeFileSync(stale, "stale plan", { mode: 0o600 });

    // WHEN up runs again
    const r = await runCli(project, ["up", "dev"]);

    // THEN it reports no changes and the stale plan is gone, like its own
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("up dev: no changes")]);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.readdirSync(plansDir)).toEqual([]);
  }, 240_000);

  it("refuses an up that destroys resources when there is no terminal and no --yes, naming them", async () => {
    // GIVEN the db tier and its firewall intents removed from the spec
    const spec = path.join(project.root, "environments", "dev.yaml");
    const text = fs.readFileSync(spec, "utf8");
    const withoutDb = text.replace(/\n {2}db:\n( {4}.*\n)+/, "\n").replace(/^ +- \{[^}\n]*to: db[^}\n]*\}\n/gm, "");
    expect(withoutDb).not.toMatch(/\bdb\b/);
    fs.writeFileSync(spec, withoutDb);

    // WHEN running up without --yes (no terminal: stdin is not a TTY)
    const r = await runCli(project, ["up", "dev"]);

    // THEN it lists the destroys, asks for --yes, exits 1 and dev-db-1 is still there
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^ {2}destroy proxmox_virtual_environment_vm\.tier-db_dev-db-1_vm_\w+$/m);
    expect(r.stderr).toContain("no terminal to ask: pass --yes to confirm");
    expect(r.stderr).toContain("up dev: not confirmed — nothing was changed.");
    expect(simVmNames()).toEqual(DEV_VMS);
  }, 240_000);

  it("plans only with --dry-run", async () => {
    const r = await runCli(project, ["up", "dev", "--dry-run"]);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining("Dry run: nothing applied.")]);
    expect(simVmNames()).toEqual(DEV_VMS);
  }, 240_000);

  it("applies the destroying up with --yes", async () => {
    const r = await runCli(project, ["up", "dev", "--yes"]);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/up dev: 0 added, 0 changed, [1-9]\d* destroyed/)]);
    expect(simVmNames()).toEqual(DEV_VMS.filter((n) => n !== "dev-db-1"));
  }, 240_000);

  it("refuses destroy dev without a terminal and without --yes: every resource remains", async () => {
    const before = fs.readFileSync(stateFile, "utf8");
    const r = await runCli(project, ["destroy", "dev"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("destroy dev: not confirmed — nothing was changed.");
    expect(simVmNames()).toEqual(DEV_VMS.filter((n) => n !== "dev-db-1"));
    expect(fs.readFileSync(stateFile, "utf8")).toBe(before);
  }, 240_000);

  it("asks on a terminal for the environment name and refuses another answer", () => {
    const r = runCliOnTerminal(["destroy", "dev"], "prod\n");
    expect(r.screen).toContain("Type the environment name (dev) to confirm: ");
    expect(r.screen).toContain("destroy dev: not confirmed — nothing was changed.");
    expect(r.status).toBe(1);
    expect(simVmNames()).toEqual(DEV_VMS.filter((n) => n !== "dev-db-1"));
  }, 240_000);

  it("destroys dev with --yes", async () => {
    const r = await runCli(project, ["destroy", "dev", "--yes"]);
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/destroy dev: 0 added, 0 changed, [1-9]\d* destroyed/)]);
    expect(simVmNames()).toEqual([]);
  }, 240_000);
});
