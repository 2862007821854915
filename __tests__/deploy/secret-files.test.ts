import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { privateDir, removeStalePlans, restrictSecretFiles } from "../../deploy/secret-files";

const mode = (f: string) => fs.statSync(f).mode & 0o777;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-files-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("secret files", () => {
  it("makes state, backup, lock info and plan files 0600 and leaves other files alone", () => {
    const names = ["terraform.tfstate", "terraform.tfstate.backup", ".terraform.tfstate.lock.info", "cdk.tf.json"];
    for (const n of names) fs.writeFileSync(path.join(dir, n), "x", { mode: 0o644 });
    fs.mkdirSync(path.join(dir, "plans"));
    fs.writeFileSync(path.join(dir, "plans", "up-1.tfplan"), "x", { mode: 0o644 });
    restrictSecretFiles(dir);
    expect([...names, "plans/up-1.tfplan"].map((n) => [n, mode(path.join(dir, n))])).toEqual([
      ["terraform.tfstate", 0o600],
      ["terraform.tfstate.backup", 0o600],
      [".terraform.tfstate.lock.info", 0o600],
      ["cdk.tf.json", 0o644],
      ["plans/up-1.tfplan", 0o600],
    ]);
  });

  it("makes an existing folder 0700", () => {
    const d = path.join(dir, "state");
    fs.mkdirSync(d, { mode: 0o755 });
    privateDir(d);
    expect(mode(d)).toBe(0o700);
  });

  it("removes plans of this process and of processes gone, keeps those of running ones", () => {
    const own = `up-${process.pid}.tfplan`;
    const gone = "up-99999999.tfplan";
    const running = `plan-${process.ppid}.tfplan`;
    for (const f of [own, gone, running]) fs.writeFileSync(path.join(dir, f), "x");
    removeStalePlans(dir);
    expect(fs.readdirSync(dir)).toEqual([running]);
  });
});
