import { Testing, TerraformVariable } from "cdktf";
import { StoragePbs } from "../../.gen/providers/proxmox/storage-pbs";
import { PbsEncryption } from "../../constructs/pbs-encryption";
import { PbsStorage } from "../../constructs/pbs-storage";
import { newStack, synthJson } from "./fixtures";

const BASE = { storageId: "pbs-prod", server: "pbs.example.invalid", datastore: "store1", username: "backup@pbs" };

describe("PbsStorage", () => {
  it("asks PVE to generate a key by default and exports it as a sensitive output; no secret in the JSON", () => {
    // GIVEN a password from a sensitive variable WHEN a PbsStorage is built without encryption props
    const { stack } = newStack();
    const password = new TerraformVariable(stack, "pbs_password", { type: "string", sensitive: true }).value;
    new PbsStorage(stack, "pbs", { ...BASE, password });

    // THEN the resource generates a key, holds backups only, and the key is a sensitive output
    expect(Testing.synth(stack)).toHaveResourceWithProperties(StoragePbs, {
      id: "pbs-prod",
      generate_encryption_key: true,
      content: ["backup"],
      password: "${var.pbs_password}",
    });
    const outputs = synthJson(stack).output as Record<string, { sensitive?: boolean; value: string }>;
    expect(Object.keys(outputs)).toEqual(["pbs_key_pbs_prod"]);
    expect(Object.values(outputs)).toEqual([
      expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{proxmox_storage_pbs\..*\.generated_encryption_key\}$/) }),
    ]);
  });

  it("passes an existing key from a variable and refuses a literal key or a literal password", () => {
    const { stack } = newStack();
    const password = new TerraformVariable(stack, "pbs_password", { type: "string", sensitive: true }).value;
    const key = new TerraformVariable(stack, "pbs_key", { type: "string", sensitive: true }).value;
    new PbsStorage(stack, "pbs", { ...BASE, password, encryption: PbsEncryption.key(key) });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(StoragePbs, { encryption_key: "${var.pbs_key}" });
    expect(() => PbsEncryption.key('{"data":"c2VjcmV0"}')).toThrow(/literal/);
    expect(() => new PbsStorage(stack, "lit", { ...BASE, storageId: "pbs-lit", password: "hunter2" })).toThrow(/password is a literal/);
  });

  it("refuses a password or key that mixes literal text with a token", () => {
    // GIVEN sensitive variables for the password and the key
    const { stack } = newStack();
    const password = new TerraformVariable(stack, "pbs_password", { type: "string", sensitive: true }).value;
    const key = new TerraformVariable(stack, "pbs_key", { type: "string", sensitive: true }).value;
    // WHEN literal text is glued to either THEN the prop is named and one whole variable is asked for
    expect(() => new PbsStorage(stack, "mixed", { ...BASE, password: "abc" + password })).toThrow(
      /PbsStorage "mixed": password mixes literal text with a token .* pass exactly one sensitive TerraformVariable/,
    );
    expect(() => PbsEncryption.key('{"kdf":"none","data":"' + key + '"}')).toThrow(/PbsEncryption\.key: keyJson mixes literal text with a token/);
  });

  it("builds an unencrypted storage only through the named opt-out with a reason", () => {
    const { stack } = newStack();
    const password = new TerraformVariable(stack, "pbs_password", { type: "string", sensitive: true }).value;
    expect(() => PbsEncryption.unencrypted("")).toThrow(/say why/);
    const pbs = new PbsStorage(stack, "pbs", { ...BASE, password, encryption: PbsEncryption.unencrypted("lab datastore, no production data") });
    const json = synthJson(stack) as { resource: Record<string, Record<string, Record<string, unknown>>>; output?: unknown };
    const config = Object.values(json.resource.proxmox_storage_pbs)[0];
    expect(config).not.toHaveProperty("generate_encryption_key");
    expect(config).not.toHaveProperty("encryption_key");
    expect(json.output).toBeUndefined();
    expect(pbs.encryption.kind).toBe("none");
  });
});
