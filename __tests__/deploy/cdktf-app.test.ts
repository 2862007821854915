import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readAppManifest, selectStack, stackErrors } from "../../deploy/app-manifest";
import { CdktfApp, findCdktfApp, synthAppStack } from "../../deploy/cdktf-app";

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-app-"));
  dirs.push(dir);
  return dir;
}

/** A manifest as cdktf writes it, with the given stacks (name → annotations). */
function manifestDir(stacks: Record<string, unknown>): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks }));
  return dir;
}

const stackEntry = (name: string, annotations: unknown[] = []) => ({
  name,
  workingDirectory: `stacks/${name}`,
  synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
  annotations,
});

/**
 * A real cdktf app (the repository's cdktf, plain JavaScript so no compiler runs) with the given
 * stacks; a stack named "broken" carries an error annotation.
 */
function realApp(stacks: readonly string[]): CdktfApp {
  const dir = tempDir();
  const main = [
    `const { App, TerraformStack, TerraformOutput, Annotations } = require(${JSON.stringify(require.resolve("cdktf"))});`,
    "const app = new App();",
    ...stacks.map(
      (s) =>
        `{ const st = new TerraformStack(app, ${JSON.stringify(s)}); new TerraformOutput(st, "who", { value: ${JSON.stringify(s)} }); if (${JSON.stringify(
          s,
        )} === "broken") Annotations.of(st).addError("no good"); }`,
    ),
    "app.synth();",
  ].join("\n");
  fs.writeFileSync(path.join(dir, "main.js"), main);
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node main.js" }));
  return findCdktfApp(dir) as CdktfApp;
}

describe("the manifest of a synthesised app", () => {
  it("picks the only stack without a name", () => {
    // GIVEN a manifest with one stack
    const dir = manifestDir({ web: stackEntry("web") });
    // WHEN no stack is named THEN that one is chosen, its working directory inside the output folder
    const stack = selectStack(readAppManifest(dir));
    expect([stack.name, stack.workdir]).toEqual(["web", path.join(dir, "stacks", "web")]);
  });

  it("refuses to guess among several stacks and names them", () => {
    const manifest = readAppManifest(manifestDir({ web: stackEntry("web"), db: stackEntry("db") }));
    expect(() => selectStack(manifest)).toThrow('the app has 2 stacks ("db", "web"): choose one with --stack.');
  });

  it("names the stacks there are when the named one is missing", () => {
    const manifest = readAppManifest(manifestDir({ web: stackEntry("web"), db: stackEntry("db") }));
    expect(() => selectStack(manifest, "dv")).toThrow('the app has no stack "dv": its stacks are "db", "web".');
    expect(selectStack(manifest, "db").name).toBe("db");
  });

  it("refuses a stack whose working directory leaves the output folder", () => {
    const dir = manifestDir({ evil: { ...stackEntry("evil"), workingDirectory: "../../etc" } });
    expect(() => readAppManifest(dir)).toThrow(/workingDirectory "..\/..\/etc" is outside/);
  });

  it.each([
    ["path traversal", "../../etc"],
    ["a Terraform template", '${file("/etc/passwd")}'],
    ["a newline", "web\nrm -rf"],
    ["a leading dash", "-chdir=/tmp"],
    ["a slash", "a/b"],
    ["an empty name", ""],
  ])("refuses a stack named with %s, even when no --stack is given", (_what, name) => {
    // GIVEN a manifest whose only stack has a hostile name (its working directory is harmless)
    const dir = manifestDir({ [name]: { ...stackEntry("ok"), workingDirectory: "stacks/ok" } });
    // WHEN it is read THEN the name is refused before it is used anywhere, shown escaped
    expect(() => readAppManifest(dir)).toThrow(`stack name ${JSON.stringify(name)} is refused`);
  });

  it("says the app must call synth() when it wrote no manifest", () => {
    expect(() => readAppManifest(tempDir())).toThrow(/wrote no .*manifest\.json: it must call `app.synth\(\)`/);
  });

  it("lists the error annotations of a stack, not its warnings", () => {
    const manifest = readAppManifest(
      manifestDir({
        web: stackEntry("web", [
          { constructPath: "web/vm", level: "@cdktf/error", message: "PVE-FW-001: open. Fix: close it" },
          { constructPath: "web/vm", level: "@cdktf/warn", message: "careful" },
        ]),
      }),
    );
    expect(stackErrors(selectStack(manifest))).toEqual(["web/vm: PVE-FW-001: open. Fix: close it"]);
  });
});

describe("finding the app", () => {
  it("takes --app over cdktf.json's app, and cdktf.json's output folder", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ app: "npx ts-node main.ts", output: "out" }));
    expect(findCdktfApp(dir)).toEqual({ dir, command: "npx ts-node main.ts", outdir: path.join(dir, "out"), origin: "cdktf.json" });
    expect(findCdktfApp(dir, "node app.js")).toMatchObject({ command: "node app.js", origin: "--app" });
  });

  it("is none without cdktf.json and --app, and names what to do when cdktf.json has no app", () => {
    const dir = tempDir();
    expect(findCdktfApp(dir)).toBeUndefined();
    fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript" }));
    expect(() => findCdktfApp(dir)).toThrow(/has no "app" command: add one .* or pass it with --app/);
    fs.writeFileSync(path.join(dir, "cdktf.json"), "{ not json");
    expect(() => findCdktfApp(dir)).toThrow(/cdktf\.json is not a JSON object/);
  });
});

describe("synthesising a real cdktf app", () => {
  jest.setTimeout(60_000);

  it("runs the app with CDKTF_OUTDIR, publishes into cdktf.out and returns the chosen stack's working directory there", async () => {
    // GIVEN an app with two stacks
    const app = realApp(["web", "db"]);
    // WHEN the db stack is synthesised
    const stack = await synthAppStack(app, { stack: "db" });
    // THEN it is published where cdktf would put it, with the stack's own configuration
    expect(stack.workdir).toBe(path.join(app.dir, "cdktf.out", "stacks", "db"));
    const json = JSON.parse(fs.readFileSync(path.join(stack.workdir, "cdk.tf.json"), "utf8"));
    expect(json.output.who.value).toBe("db");
    expect(fs.existsSync(path.join(app.dir, "cdktf.out", "manifest.json"))).toBe(true);
  });

  it("names the stacks when --stack is missing from a several-stack app, and publishes nothing", async () => {
    const app = realApp(["web", "db"]);
    await expect(synthAppStack(app)).rejects.toThrow('the app has 2 stacks ("db", "web"): choose one with --stack.');
    expect(fs.existsSync(app.outdir)).toBe(false);
  });

  it("fails on a stack's error annotations unless told to go on", async () => {
    const app = realApp(["broken"]);
    await expect(synthAppStack(app)).rejects.toThrow(/stack "broken" has 1 error\(s\); fix them first:\n {2}broken: no good/);
    expect((await synthAppStack(app, { allowErrors: true })).name).toBe("broken");
  });

  it("reports a failing app command with its exit code and output", async () => {
    const dir = tempDir();
    const app = findCdktfApp(dir, "echo boom >&2; exit 3") as CdktfApp;
    await expect(synthAppStack(app)).rejects.toThrow(/the app command \(--app\) failed with exit 3 in .*:\n[\s\S]*boom/);
  });
});
