import { App, Testing } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { StoragePbs } from "../../.gen/providers/proxmox/storage-pbs";
import { parseEnvironment, resolveDefaults } from "../../envspec";
import { checkPolicy } from "../../policy/check-policy";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { withFastSynth } from "../../stacks/fast-synth";

const PROD = fs.readFileSync(path.join(__dirname, "..", "..", "environments", "prod.yaml"), "utf8");

/** environments/prod.yaml with its `backups.pbs` block replaced by `pbsBlock`. */
function prodWithPbs(pbsBlock: string): EnvironmentStack {
  const text = PROD.replace(/^ {2}pbs:\n(?: {4}.*\n)+/m, `  pbs:\n${pbsBlock}`);
  expect(text).not.toBe(PROD);
  const env = resolveDefaults(parseEnvironment(text, "prod.yaml"));
  return withFastSynth(() => new EnvironmentStack(new App(), "prod", { env, policy: false }));
}

const TARGET = "    server: pbs.example.com\n    datastore: prod\n    username: pve@pbs\n";

describe("backups.pbs in an environment spec", () => {
  it("defines an encrypted PBS storage the backup job targets, the password a sensitive variable", () => {
    // GIVEN prod with a PBS target WHEN synthesised
    const stack = prodWithPbs(TARGET);
    const json = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
      variable: Record<string, Record<string, unknown>>;
    };

    // THEN the storage generates its key, the job references it, the password is a sensitive variable
    expect(Testing.synth(stack)).toHaveResourceWithProperties(StoragePbs, {
      id: "pbs",
      server: "pbs.example.com",
      generate_encryption_key: true,
      password: "${var.pbs_password}",
    });
    expect(Object.values(json.resource.proxmox_backup_job)[0].storage).toMatch(/^\$\{proxmox_storage_pbs\..+\.id\}$/);
    expect(json.variable.pbs_password).toMatchObject({ sensitive: true });
    // AND PVE-OPS-009 has nothing to report
    expect(checkPolicy(stack, { stage: "prod" }).filter((f) => f.ruleId === "PVE-OPS-009")).toEqual([]);
  });

  it("reports the named opt-out encryption: none as PVE-OPS-009 in prod", () => {
    const stack = prodWithPbs(`${TARGET}    encryption: none\n    unencryptedReason: the PBS disks are encrypted at rest\n`);
    const found = checkPolicy(stack, { stage: "prod" }).filter((f) => f.ruleId === "PVE-OPS-009");
    expect(found).toEqual([expect.objectContaining({ severity: "error", message: expect.stringContaining('"pbs" has no encryption key') })]);
  });

  it("refuses encryption: none without a reason, naming the field", () => {
    expect(() => prodWithPbs(`${TARGET}    encryption: none\n`)).toThrow(/unencryptedReason/);
  });
});
