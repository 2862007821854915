import { generateKeyPairSync, randomBytes } from "crypto";
import { redact, Redactor } from "../../deploy/redact";

const RSA_PEM = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const PKCS8_PEM = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
/** The base64 body lines of a PEM (what must never be shown). */
const bodyOf = (pem: string) => pem.split("\n").filter((l) => l !== "" && !l.startsWith("-----"));
/** A PBS key file as `proxmox-backup-client key create --kdf none` writes it. */
const PBS_KEY = JSON.stringify({
  kdf: null,
  created: "2026-12-02T09:00:00+00:00",
  modified: "2026-12-02T09:00:00+00:00",
  data: randomBytes(32).toString("base64"),
  fingerprint: "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99",
});
const PBS_DATA = JSON.parse(PBS_KEY).data as string;

/** Feeds `chunks` to one redactor as a run's log would, and returns every line shown. */
const shown = (chunks: readonly string[]) => {
  const r = new Redactor();
  return chunks.flatMap((c) => r.lines(c));
};

describe("redaction of the console's run log", () => {
  it.each([
    ["a PEM block in one message", [`error: ${RSA_PEM}`], RSA_PEM],
    ["a PEM block logged one line per call", RSA_PEM.split("\n"), RSA_PEM],
    ["a PKCS#8 key split mid-body across calls", [PKCS8_PEM.slice(0, 40), PKCS8_PEM.slice(40)], PKCS8_PEM],
    ["a PEM key with \\n escapes inside a JSON string", [`  + private_key = "${RSA_PEM.replace(/\n/g, "\\n")}"`], RSA_PEM],
  ])("hides every line of %s, keeping the lines around it", (_, chunks, pem) => {
    // GIVEN a run's log with a private key between two ordinary lines WHEN it is redacted
    const lines = shown(["terraform apply…", ...chunks, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."]);
    // THEN no body line of the key survives, the key is marked, and the lines around it stay
    const text = lines.join("\n");
    for (const body of bodyOf(pem)) expect(text).not.toContain(body);
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    expect(text).toContain("[redacted]");
    expect(lines[0]).toBe("terraform apply…");
    expect(lines[lines.length - 1]).toBe("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
  });

  it("stops hiding at a line that cannot be part of a key, so a key cut short does not swallow the rest of the log", () => {
    const lines = shown(["-----BEGIN OPENSSH PRIVATE KEY-----", bodyOf(RSA_PEM)[0], "Error: the task failed: exit code 1"]);
    expect(lines).toEqual(["[redacted] private key", "Error: the task failed: exit code 1"]);
  });

  it.each([
    ["a PBS key file as JSON", `Error: storage create failed: encryption-key=${PBS_KEY}`, [PBS_DATA]],
    ["a PBS key's data field alone", `  "data": "${PBS_DATA}",`, [PBS_DATA]],
    ["a PBS password in an environment assignment", "TF_VAR_pbs_password=Sup3r-secret!pw terraform apply", ["Sup3r-secret!pw"]],
    ["a password as a command-line option", "proxmox-backup-client login --password 'hunter2 with spaces'", ["hunter2"]],
    ["a password in PVE's property-string form", "pvesm add pbs backup --server pbs.example.com --password=p@ss:word,datastore=x", ["p@ss:word"]],
    ["a YAML password", "pbs:\n  password: hunter2", ["hunter2"]],
    ["a YAML passphrase with spaces around the colon", "passphrase : s3cr3t-phrase", ["s3cr3t-phrase"]],
    ["a secret after a space", "using secret hunter2 for the datastore", ["hunter2"]],
    ["a client secret in an assignment with spaces", "client_secret = hunter2", ["hunter2"]],
    ["a JSON password", `{"username":"backup@pbs","password":"correct horse battery staple"}`, ["correct horse"]],
    ["a PVE API token", "Authorization: PVEAPIToken=terraform@pve!ci=0b5a0a3c-8c3b-4a7e-9a0f-3f1d2c4b5a6e", ["0b5a0a3c-8c3b"]],
    ["a PostgreSQL URL", "PG_CONN_STR=postgres://tf:pw@db.example.com/tf failed", ["tf:pw@"]],
    ["long base64 key material", `unexpected value ${randomBytes(64).toString("base64")} in response`, []],
    ["a WireGuard-sized key after a key word", `private key: ${randomBytes(32).toString("base64")}`, []],
  ])("hides %s", (_, line, secrets) => {
    const out = redact(line);
    expect(out).toContain("[redacted]");
    for (const s of secrets) expect(out).not.toContain(s);
    // (no run of 32+ base64 characters is left)
    expect(out).not.toMatch(/[A-Za-z0-9+/]{32,}/);
  });

  it.each([
    "  # proxmox_virtual_environment_vm.tier-db_dev-db-1_vm_5872153A will be created",
    "  + password = (sensitive value)",
    "cloudInit.sshKeys: must list at least one SSH public key: password login is disabled on hardened VMs",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com",
    "checksum ab297fb090ef5c5e44dd75484fa8c1788da7b8e87714f02126dd5e7d851feee61b43cb6398c84a6557d3c26b9e310e1a3ab1aae8ec004f112be7559dd0a7f18e",
    "Plan: 12 to add, 0 to change, 0 to destroy.",
    "the password file is read from the environment",
    "keep the secret safe.",
    "set a passphrase when asked",
  ])("leaves an ordinary line as it is: %s", (line) => {
    expect(redact(line)).toBe(line);
  });
});
