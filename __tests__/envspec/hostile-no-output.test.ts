import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthEnvironment } from "../../deploy/synth-environment";
import { plan, up } from "../../deploy/workflow";
import { loadEnvironment, SpecError } from "../../envspec";
import { corpusFiles, headerOf } from "./corpus-header";

/**
 * A rejected spec leaves nothing behind: every refused case of the broken and hostile corpus goes
 * through the workflow that `proxmox-cdk plan` (and, for a sample, `up`) runs, in a project that
 * already holds a synthesised environment and its state. Afterwards cdktf.out/ and .state/ are
 * exactly as before, except for one audit line per refused run.
 */
const REPO = path.resolve(__dirname, "..", "..");
const refused = corpusFiles().filter((f) => headerOf(f.text).expect.length > 0);

/** Every file under `dir` with the hash of its content; folders are listed too (an empty one counts). */
function snapshot(root: string, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const base = path.join(root, dir);
  if (!fs.existsSync(base)) return out;
  for (const entry of fs.readdirSync(base, { recursive: true }) as string[]) {
    const file = path.join(base, entry);
    const rel = path.join(dir, entry);
    if (rel === path.join(".state", "audit.log")) continue;
    out[rel] = fs.statSync(file).isDirectory() ? "dir" : crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  }
  return out;
}

function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-project-"));
  fs.mkdirSync(path.join(root, "environments"));
  fs.copyFileSync(path.join(REPO, "environments", "dev.yaml"), path.join(root, "environments", "dev.yaml"));
  synthEnvironment(root, "dev");
  fs.mkdirSync(path.join(root, ".state", "dev"), { recursive: true });
  fs.writeFileSync(path.join(root, ".state", "dev", "terraform.tfstate"), '{"version": 4}\n');
  return root;
}

const auditLines = (root: string) =>
  fs.existsSync(path.join(root, ".state", "audit.log"))
    ? fs
        .readFileSync(path.join(root, ".state", "audit.log"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];

describe("a rejected spec", () => {
  let root: string;
  const saved = process.env.PROXMOX_CDK_AUDIT_LOG;
  beforeAll(() => {
    delete process.env.PROXMOX_CDK_AUDIT_LOG;
    root = project();
  });
  afterAll(() => {
    if (saved !== undefined) process.env.PROXMOX_CDK_AUDIT_LOG = saved;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("already holds a synthesised dev environment and its state (the baseline)", () => {
    expect(Object.keys(snapshot(root, "cdktf.out"))).toEqual(
      expect.arrayContaining([path.join("cdktf.out", "manifest.json"), path.join("cdktf.out", "stacks", "dev", "cdk.tf.json")]),
    );
  });

  it(`leaves cdktf.out/ and .state/ untouched through \`plan\`, for all ${refused.length} refused corpus cases`, async () => {
    // GIVEN a project with a synthesised environment and state
    const before = { ...snapshot(root, "cdktf.out"), ...snapshot(root, ".state") };
    const auditBefore = auditLines(root).length;
    for (const file of refused) {
      const env = file.name.replace(/\.yaml$/, "");
      const specFile = path.join(root, "environments", file.name);
      fs.writeFileSync(specFile, file.text);
      // WHEN the CLI's plan workflow runs on the refused spec
      const outcome = await plan({ root, env, log: () => undefined }).then(
        () => "accepted",
        (e: unknown) => e,
      );
      fs.rmSync(specFile);
      // THEN it fails with the spec's problems, at the position the header promises
      expect(outcome).toBeInstanceOf(SpecError);
      const first = headerOf(file.text).expect[0].position;
      expect((outcome as SpecError).message).toContain(`${specFile}:${first} `);
    }
    // AND nothing under cdktf.out/ or .state/ changed; each refusal is one audit line
    expect({ ...snapshot(root, "cdktf.out"), ...snapshot(root, ".state") }).toEqual(before);
    const audit = auditLines(root).slice(auditBefore);
    expect(audit).toHaveLength(refused.length);
    expect(audit.every((r) => r.action === "plan" && r.result === "error")).toBe(true);
  }, 300_000);

  it("leaves cdktf.out/ and .state/ untouched through `up`, for one refused case of each hostile mutation on prod", async () => {
    const sample = refused.filter((f) => f.folder === "hostile" && f.name.startsWith("prod-"));
    expect(sample.length).toBeGreaterThan(100);
    const before = { ...snapshot(root, "cdktf.out"), ...snapshot(root, ".state") };
    for (const file of sample) {
      const env = file.name.replace(/\.yaml$/, "");
      fs.writeFileSync(path.join(root, "environments", file.name), file.text);
      await expect(up({ root, env, log: () => undefined })).rejects.toBeInstanceOf(SpecError);
      fs.rmSync(path.join(root, "environments", file.name));
    }
    expect({ ...snapshot(root, "cdktf.out"), ...snapshot(root, ".state") }).toEqual(before);
  }, 300_000);

  it("creates no cdktf.out/ in a project that has none, through `plan`, for every tenth refused case", async () => {
    // GIVEN a project that was never synthesised
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-fresh-"));
    fs.mkdirSync(path.join(fresh, "environments"));
    for (const file of refused.filter((_, i) => i % 10 === 0)) {
      fs.writeFileSync(path.join(fresh, "environments", file.name), file.text);
      // WHEN plan runs on a refused spec
      await expect(plan({ root: fresh, env: file.name.replace(/\.yaml$/, ""), log: () => undefined })).rejects.toBeInstanceOf(SpecError);
      fs.rmSync(path.join(fresh, "environments", file.name));
    }
    // THEN only the audit log was written
    expect(fs.readdirSync(fresh).sort()).toEqual([".state", "environments"]);
    expect(fs.readdirSync(path.join(fresh, ".state"))).toEqual(["audit.log"]);
    fs.rmSync(fresh, { recursive: true, force: true });
  }, 300_000);
});

describe("a spec that is valid but fails while its stack is built", () => {
  it("leaves no cdktf.out/ behind", () => {
    // GIVEN a project whose only spec passes the loader but opens SSH to every address, which the policy pack refuses while the stack is built
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-project-"));
    fs.mkdirSync(path.join(root, "environments"));
    const dev = fs.readFileSync(path.join(REPO, "environments", "dev.yaml"), "utf8");
    const open = dev.replace("{ tier: bastion, port: ssh, from: 203.0.113.0/24 }", "{ tier: bastion, port: ssh, from: 0.0.0.0/0 }");
    expect(open).not.toBe(dev);
    fs.writeFileSync(path.join(root, "environments", "dev.yaml"), open);
    expect(() => loadEnvironment(path.join(root, "environments", "dev.yaml"))).not.toThrow();

    // WHEN it is synthesised
    // THEN synthesis fails, and neither cdktf.out/ nor anything else was created
    expect(() => synthEnvironment(root, "dev")).toThrow(/PVE-FW-006/);
    expect(fs.readdirSync(root)).toEqual(["environments"]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
