import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { cdktfArgs, cdktfUsage } from "../../toolchain/cdktf-usage";
import { PROVIDER_VERSION, toolchainPaths } from "../../toolchain/paths";
import { SetupRecord, writeSetupRecord } from "../../toolchain/setup-record";

const record = (providerSource: "mirror" | "registry"): SetupRecord => ({
  providerVersion: PROVIDER_VERSION,
  providerSource,
  terraform: { command: "terraform", flavour: "terraform", version: "1.11.4" },
});

describe("cdktf usage instructions", () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-usage-"));
  afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

  it("prints a project path with a space, a quote and $( ) as one shell word that the shell reads back unchanged", () => {
    // GIVEN a prepared project in a hostile folder name
    const root = path.join(top, "it's $(touch pwned) here");
    const paths = toolchainPaths(root);
    fs.mkdirSync(paths.dir, { recursive: true });
    writeSetupRecord(paths, record("mirror"));
    // WHEN the instructions are printed and the export line is run by a POSIX shell
    const line = cdktfUsage(paths, record("mirror")).find((l) => l.includes("TF_CLI_CONFIG_FILE"))!;
    const echoed = execFileSync("sh", ["-c", `${line.trim()}; printf %s "$TF_CLI_CONFIG_FILE"`], { cwd: top, encoding: "utf8" });
    // THEN the variable holds exactly the path, and nothing ran
    expect(echoed).toBe(paths.cliConfig);
    expect(fs.existsSync(path.join(top, "pwned"))).toBe(false);
  });

  it("adds --skip-provider-lock to deploy, diff and destroy in mirror mode only", () => {
    // GIVEN a mirror or a registry setup, WHEN cdktf arguments are completed, THEN only locking commands in mirror mode gain the flag, once
    expect(cdktfArgs(record("mirror"), ["deploy", "dev"])).toEqual(["deploy", "dev", "--skip-provider-lock"]);
    expect(cdktfArgs(record("mirror"), ["synth"])).toEqual(["synth"]);
    expect(cdktfArgs(record("registry"), ["deploy"])).toEqual(["deploy"]);
    expect(cdktfArgs(record("mirror"), ["diff", "--skip-provider-lock"])).toEqual(["diff", "--skip-provider-lock"]);
  });
});
