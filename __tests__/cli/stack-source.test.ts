import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs, UsageError } from "../../cli/args";
import { APP_OPTIONS, STACK_SOURCE_ARGUMENT, stackSource } from "../../cli/stack-source";
import { TARGET_OPTIONS } from "../../cli/target-option";

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** An empty folder (no environments/, no cdktf.json), optionally with a cdktf.json. */
function project(cdktfJson?: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-source-"));
  dirs.push(dir);
  if (cdktfJson) fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify(cdktfJson));
  return dir;
}

const spec = { ...STACK_SOURCE_ARGUMENT, options: { ...TARGET_OPTIONS, ...APP_OPTIONS } };
const source = (argv: string[], cwd: string) => stackSource(parseArgs(argv, spec), "plan", cwd);

describe("what plan/review/drift/validate/inventory work on", () => {
  it("is the environment when a name is given", () => {
    const dir = project({ app: "node main.js" });
    expect(source(["dev"], dir)).toEqual({ kind: "env", root: dir, env: "dev" });
  });

  it('is cdktf.json\'s app without a name, with the stack given or "" for the only one', () => {
    const dir = project({ app: "node main.js" });
    expect(source(["--stack", "web"], dir)).toMatchObject({ kind: "app", root: dir, stack: "web", app: { command: "node main.js", origin: "cdktf.json" } });
    expect(source([], dir)).toMatchObject({ kind: "app", stack: "" });
  });

  it("is the --app command in the current folder, even without cdktf.json", () => {
    const dir = project();
    expect(source(["--app", "npx ts-node main.ts", "--stack", "web"], dir)).toMatchObject({
      kind: "app",
      root: dir,
      app: { command: "npx ts-node main.ts", origin: "--app", outdir: path.join(dir, "cdktf.out") },
    });
  });

  it.each([
    [["dev", "--stack", "web"], 'give an environment name or --app/--stack, not both: "dev" names environments/dev.yaml.'],
    [["dev", "--app", "node main.js"], "not both"],
    [["--stack", "../x"], '--stack "../x" is not a stack name'],
    [["--app", " "], "--app needs a command"],
  ])("refuses %j naming the mistake", (argv, message) => {
    const dir = project({ app: "node main.js" });
    expect(() => source(argv, dir)).toThrow(UsageError);
    expect(() => source(argv, dir)).toThrow(message);
  });

  it("without a name, cdktf.json or --app, says what to give", () => {
    expect(() => source([], project())).toThrow(
      /plan needs an environment name \(`proxmox-cdk plan dev`\), or a cdktf app: run it in a folder with cdktf\.json, or pass --app/,
    );
  });
});
