import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sshKeyFingerprint } from "../../constructs/ssh-key-fingerprint";
import { environmentPolicy } from "../../deploy/environment-policy";
import { minimalSpec } from "../envspec/minimal-spec";

const OLD = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC4zXkFHbms+x4apDPXCoTPCpCKulrz9Nm+CY6wswxdC alice@example.com";
const NEW = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com";
const LEGACY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBUSxhe0lHz/qM0kV7SBeSwWJjqhQPPbkLU532KPH6vE bob@example.com";

/** Today minus `days`, as YYYY-MM-DD. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

function spec(keys: string, extra = ""): string {
  return minimalSpec({ name: "keys", tiers: "  web:\n    count: 2\n    template: debian12\n", cloudInit: `  user: ops${extra}\n  sshKeys:\n${keys}\n` });
}

describe("PVE-CI-005 on an environment spec", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "key-age-"));
  fs.mkdirSync(path.join(root, "environments"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const check = (text: string) => {
    fs.writeFileSync(path.join(root, "environments", "keys.yaml"), text);
    return environmentPolicy(root, "keys").findings.filter((f) => f.ruleId === "PVE-CI-005");
  };

  it("reports a key older than the spec's maxKeyAgeDays once, by fingerprint, and not a young one", () => {
    // GIVEN two keys: one 100 days old, one 10 days old, and a limit of 90 days
    const text = spec(`    - { key: "${OLD}", added: "${daysAgo(100)}" }\n    - { key: "${NEW}", added: "${daysAgo(10)}" }`, "\n  maxKeyAgeDays: 90");

    // WHEN the policy judges the environment
    const findings = check(text);

    // THEN only the old key is reported, once for both VMs, with its fingerprint and no key material
    expect(findings.map((f) => f.message)).toEqual([
      `SSH key ${sshKeyFingerprint(OLD)} (on VM "keys-web-1", VM "keys-web-2") was added ${daysAgo(100)}, 100 days ago; at most 90 are allowed.`,
    ]);
    expect(JSON.stringify(findings)).not.toContain(OLD.split(" ")[1]);
  });

  it("uses the stage's default when the spec sets no limit (dev: 730 days)", () => {
    expect(check(spec(`    - { key: "${OLD}", added: "${daysAgo(700)}" }`))).toEqual([]);
    expect(check(spec(`    - { key: "${OLD}", added: "${daysAgo(731)}" }`))).toHaveLength(1);
  });

  it("warns that a key written as a plain line has an unknown age", () => {
    const findings = check(spec(`    - ${LEGACY}`));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: "warning",
      message: expect.stringContaining(`${sshKeyFingerprint(LEGACY)} (on VM "keys-web-1", VM "keys-web-2") has no recorded date`),
    });
  });
});
