import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/main";

/** Runs main() in a project folder of its own with no target variables; stderr captured. */
async function scan(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const error = jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  const saved = { ...process.env };
  const cwd = process.cwd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-cli-"));
  fs.mkdirSync(path.join(dir, "environments"));
  for (const k of Object.keys(process.env)) if (/^(PROXMOX_VE_|PROXMOX_CDK_)/.test(k)) delete process.env[k];
  process.chdir(dir);
  try {
    return { code: await main(["scan", ...argv]), err: err.join("\n") };
  } finally {
    process.chdir(cwd);
    process.env = saved;
    error.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("proxmox-cdk scan arguments", () => {
  it.each([
    [["--format", "xml"], '--format "xml" is not a report format: use one of markdown, json, sarif.'],
    [["--max-guests", "0"], '--max-guests "0" is not a positive whole number.'],
    [["--concurrency", "many"], '--concurrency "many" is not a positive whole number.'],
    [["prod"], 'takes no arguments, got "prod".'],
  ])("refuses %j as a usage error before reading anything", async (argv, message) => {
    const { code, err } = await scan(...argv);
    expect(code).toBe(64);
    expect(err).toContain(message);
  });

  it("fails with what to set when there is neither PROXMOX_VE_ENDPOINT nor --sim", async () => {
    const { code, err } = await scan();
    expect(code).toBe(1);
    expect(err).toContain("set PROXMOX_VE_ENDPOINT and PROXMOX_VE_API_TOKEN to target Proxmox VE, or choose the embedded simulator explicitly with --sim");
  });
});
