/**
 * The CLI on a fresh clone after `npm ci` only: the repository's tracked files and node_modules,
 * no .gen/ (provider bindings), no .toolchain/, no .state/. Help, doctor and usage errors must work
 * there: command modules load their heavy parts (which reach the bindings) only when they run.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { COMMANDS } from "../../../cli/main";
import { ProcessResult, runProcess } from "./run-process";
import { REPO } from "./cli-project";

let clone: string;
/** A loopback port nothing listens on (taken, then released): Ollama "not reachable" there. */
let closedPort: number;

/** Copies the tracked files (as they are on disk) into a temporary folder and links node_modules. */
function freshClone(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fresh-clone-"));
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "");
  for (const f of tracked) {
    const from = path.join(REPO, f);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * `npx proxmox-cdk <args>` in the clone (its bin script, which loads the TypeScript through tsx's
 * CommonJS hook), with none of the test process's project or target variables.
 */
function cli(...args: string[]): Promise<ProcessResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PROXMOX_|PG_|SSL_CERT_FILE$|TF_)/.test(k)));
  return runProcess(process.execPath, [path.join(clone, "bin", "proxmox-cdk.js"), ...args], {
    cwd: clone,
    env: { ...env, OLLAMA_HOST: `http://127.0.0.1:${closedPort}` },
    timeoutMs: 60_000,
  });
}

/** A JavaScript stack frame ("    at fn (file:line:col)"): a crash, not a message. */
const STACK_FRAME = /^\s+at .+[:(]/m;

beforeAll(async () => {
  clone = freshClone();
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closedPort = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(() => {
  if (clone) fs.rmSync(clone, { recursive: true, force: true });
});

describe("proxmox-cdk on a fresh clone before setup", () => {
  it("has no bindings, no toolchain and no state", () => {
    expect([".gen", ".toolchain", ".state", "cdktf.out"].filter((d) => fs.existsSync(path.join(clone, d)))).toEqual([]);
  });

  it.each([["--help"], ...COMMANDS.map((c) => [c.name])])(
    "%s --help exits 0 with its help and no stack trace",
    async (name) => {
      const r = await cli(...(name === "--help" ? ["--help"] : [name, "--help"]));
      expect([r.exitCode, r.output]).toEqual([0, expect.stringContaining("Exit codes: 0 ok, 1 failure")]);
      expect(r.output).not.toMatch(STACK_FRAME);
      expect(r.output).not.toContain("Cannot find module");
    },
    90_000,
  );

  it("doctor reports the toolchain step still to run, and the rest of its checks, without a crash", async () => {
    const r = await cli("doctor");
    // 1: the local AI setup is not ready here (no Ollama at OLLAMA_HOST); a report, not a crash
    expect([r.exitCode, r.stdout]).toEqual([
      1,
      expect.stringContaining("toolchain: not set up yet — the first up/plan prepares it (a few minutes), or run `npm run setup` now"),
    ]);
    expect(r.stdout).toMatch(new RegExp(`^FAIL ollama: Ollama is not reachable at http://127\\.0\\.0\\.1:${closedPort}`, "m"));
    expect(r.output).not.toMatch(STACK_FRAME);
  }, 90_000);

  it("up dev --no-such-flag exits 64 and runs nothing: the toolchain is not even prepared", async () => {
    const r = await cli("up", "dev", "--no-such-flag");
    expect([r.exitCode, r.stderr]).toEqual([64, expect.stringContaining("proxmox-cdk up: Unknown option '--no-such-flag'.")]);
    expect(r.output).not.toMatch(STACK_FRAME);
    expect([".gen", ".toolchain", ".state", "cdktf.out"].filter((d) => fs.existsSync(path.join(clone, d)))).toEqual([]);
  }, 90_000);
});
