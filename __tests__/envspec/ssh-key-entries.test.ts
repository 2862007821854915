import { sshKeyFingerprint } from "../../constructs/ssh-key-fingerprint";
import { parseEnvironment, resolveDefaults, SpecError } from "../../envspec";
import { keyAgeDays, keyDateProblem } from "../../envspec/ssh-key-entry";
import { minimalSpec } from "./minimal-spec";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com";
/** What `ssh-keygen -lf` prints for KEY. */
const KEY_FINGERPRINT = "SHA256:9nVkrQu5s+U8IXtCDBwSwrzSakxThBbiK7MtyJeQNIk";

/** A valid dev spec whose `cloudInit` block ends with `sshKeysYaml` (lines indented by four). */
function spec(sshKeysYaml: string, extra = ""): string {
  return minimalSpec({ cloudInit: `  user: ops${extra}\n  sshKeys:\n${sshKeysYaml}\n` });
}

function problems(text: string): string[] {
  try {
    parseEnvironment(text, "environments/shop.yaml");
  } catch (e) {
    if (e instanceof SpecError) return e.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error("expected a SpecError");
}

describe("SSH key fingerprints", () => {
  it("are computed as ssh-keygen -l prints them (SHA256, base64 without padding)", () => {
    expect(sshKeyFingerprint(KEY)).toBe(KEY_FINGERPRINT);
  });
});

describe("cloudInit.sshKeys entries", () => {
  it("accepts a key with the day it was added and resolves its fingerprint and date", () => {
    // GIVEN a key written with its date, next to a legacy key line
    const other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOVtOKEAFfr5EmoRivlimC0U7IJMRB4stgBEmuszJ3j4 other";
    const text = spec(`    - { key: "${KEY}", added: "2026-01-15" }\n    - ${other}`);

    // WHEN resolved
    const env = resolveDefaults(parseEnvironment(text, "environments/shop.yaml"));

    // THEN the guests get both lines, and only the first has a known age
    expect(env.cloudInit.sshKeys).toEqual([KEY, other]);
    expect(env.cloudInit.sshKeyRecords).toEqual([
      { key: KEY, fingerprint: KEY_FINGERPRINT, added: "2026-01-15" },
      { key: other, fingerprint: sshKeyFingerprint(other) },
    ]);
  });

  it("takes the key age limit from the spec, else from the stage", () => {
    const dev = resolveDefaults(parseEnvironment(spec(`    - ${KEY}`), "x.yaml"));
    const staging = resolveDefaults(parseEnvironment(spec(`    - ${KEY}`).replace("stage: dev", "stage: staging\nbackups: { enabled: false }"), "x.yaml"));
    const own = resolveDefaults(parseEnvironment(spec(`    - ${KEY}`, "\n  maxKeyAgeDays: 90"), "x.yaml"));
    expect([dev.cloudInit.maxKeyAgeDays, staging.cloudInit.maxKeyAgeDays, own.cloudInit.maxKeyAgeDays]).toEqual([730, 365, 90]);
  });

  it.each([
    ["a date in the future", `    - { key: "${KEY}", added: "2999-01-01" }`, /^18:\d+ cloudInit\.sshKeys\[0\]\.added: 2999-01-01 is in the future/],
    ["a day that does not exist", `    - { key: "${KEY}", added: "2026-02-30" }`, /^18:\d+ cloudInit\.sshKeys\[0\]\.added: 2026-02-30 is not a calendar date$/],
    ["a date in another form", `    - { key: "${KEY}", added: "15.01.2026" }`, /added: must be a date written YYYY-MM-DD, got "15\.01\.2026"$/],
    ["an unquoted date (YAML 1.1 reads a timestamp)", `    - { key: "${KEY}", added: 2026-01-15 }`, /added: .*quote it/],
    ["a mapping without its date", `    - { key: "${KEY}" }`, /^18:7 cloudInit\.sshKeys\[0\]\.added: required field is missing$/],
    ["an unknown field", `    - { key: "${KEY}", added: "2026-01-15", owner: bob }`, /sshKeys\[0\]\.owner: unknown key \(allowed: key, added\)$/],
    ["a number", `    - 42`, /^18:7 cloudInit\.sshKeys\[0\]: expected an SSH public key line or a mapping \{ key, added \}, got 42$/],
    [
      "a truncated key in the mapping",
      `    - { key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8", added: "2026-01-15" }`,
      /sshKeys\[0\]\.key: .*(truncated|base64)/,
    ],
  ])("refuses %s with file:line:col", (_name, yaml, expected) => {
    const found = problems(spec(yaml));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it("refuses the same key twice, even with another comment or form, pointing at the second", () => {
    const found = problems(spec(`    - ${KEY}\n    - { key: "${KEY.replace("dev@example.com", "laptop")}", added: "2026-01-15" }`));
    expect(found).toEqual(["19:7 cloudInit.sshKeys[1]: duplicate SSH key: same as sshKeys[0]; remove one"]);
  });

  it.each([
    ["as a line", `    - "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\\n-----END OPENSSH PRIVATE KEY-----"`, "cloudInit.sshKeys[0]"],
    [
      "as the key of a mapping",
      `    - { key: "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=", added: "2026-01-15" }`,
      "cloudInit.sshKeys[0].key",
    ],
  ])("refuses a private key pasted %s without echoing it", (_name, yaml, path) => {
    const found = problems(spec(yaml));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${path}: this is a PRIVATE key`);
    expect(found[0]).not.toContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU");
  });

  it("refuses a key age limit outside 1..3650 days", () => {
    expect(problems(spec(`    - ${KEY}`, "\n  maxKeyAgeDays: 0"))).toEqual(["17:18 cloudInit.maxKeyAgeDays: must be between 1 and 3650, got 0"]);
  });
});

describe("key dates", () => {
  const now = new Date("2026-06-10T23:30:00Z");

  it("allow today and tomorrow (a user east of UTC), not the day after", () => {
    expect(keyDateProblem("2026-06-10", now)).toBeUndefined();
    expect(keyDateProblem("2026-06-11", now)).toBeUndefined();
    expect(keyDateProblem("2026-06-12", now)).toMatch(/in the future/);
  });

  it("count whole UTC days", () => {
    expect(keyAgeDays("2026-06-10", now)).toBe(0);
    expect(keyAgeDays("2025-06-10", now)).toBe(365);
  });
});
