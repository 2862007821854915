import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sshKeyFingerprint } from "../constructs/ssh-key-fingerprint";
import { parseEnvironment, resolveDefaults } from "../envspec";
import { renderInventory, tiersLeftOut } from "../inventory/ansible-inventory";
import { writeFileAtomic } from "../io/atomic-write";
import { KeyRotationAudit } from "./audit-log";
import { keyRedactor, pushAuthorizedKeys } from "./authorized-keys-push";
import { guestsMissingFromInventory, inventoryHosts } from "./inventory-coverage";
import { KeyRotationRequest, prepareKeyRotation } from "./key-rotation";
import { parseVmRows } from "./vm-rows";
import { applyInPlace, WorkflowOptions, WorkflowResult } from "./workflow";

/** Options of {@link rotateKeys}. */
export interface RotateKeysOptions extends WorkflowOptions, KeyRotationRequest {
  /**
   * Ansible inventory of the guests to push the keys to.
   * @default generated from the environment's Terraform outputs (as `proxmox-cdk inventory` writes it)
   */
  readonly inventory?: string;
  /**
   * `--no-guests`: do not run Ansible; only the spec and the cloud-init keys change, and the guests'
   * authorized_keys keep the old keys until cloud-init runs again. Reported and audited.
   * @default false
   */
  readonly skipGuests?: boolean;
  /** Date of `added` for the new keys. @default now */
  readonly now?: Date;
}

/** What a rotation did, by fingerprint. */
export interface RotateKeysResult extends WorkflowResult {
  readonly keys: KeyRotationAudit;
}

/**
 * `proxmox-cdk rotate-keys`: validates the request against the spec before touching anything,
 * writes the spec (atomically, comments kept), plans, and refuses unless every change is an
 * in-place update; then Ansible sets every guest's authorized_keys to exactly the new key list,
 * and the plan — the new cloud-init keys — is applied. A refused or failed plan restores the spec
 * as it was; once Ansible has started, the spec keeps the new keys (the state to reach): finish
 * with `rotate-keys <env> --push` ({@link KeyRotationRequest.push}), which pushes the spec's keys
 * again and applies the cloud-init side. The audit entry records fingerprints only.
 */
export async function rotateKeys(opts: RotateKeysOptions): Promise<RotateKeysResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const rotation = prepareKeyRotation(opts.root, opts.env, opts, opts.now);
  const keys: KeyRotationAudit = { added: rotation.added, removed: rotation.removed, guests: opts.skipGuests ? "skipped" : "pushed" };
  const removedLines = resolveDefaults(parseEnvironment(rotation.before, rotation.file)).cloudInit.sshKeyRecords.filter((r) =>
    rotation.removed.includes(r.fingerprint),
  );
  const hide = keyRedactor([...rotation.keys, ...removedLines.map((r) => r.key)]);
  if (opts.push === true) log(`Keys of ${opts.env}: pushing the spec's keys again (${rotation.keys.map(sshKeyFingerprint).join(", ")}).`);
  else log(`Keys of ${opts.env}: adding ${rotation.added.join(", ") || "none"}; removing ${rotation.removed.join(", ") || "none"}.`);
  if (opts.dryRun) log("Dry run: the spec is changed for the plan only and restored afterwards.");
  writeFileAtomic(rotation.file, rotation.after, fs.statSync(rotation.file).mode & 0o777);
  let guestsTouched = false;
  try {
    const result = await applyInPlace(
      "rotate-keys",
      { ...opts, log: (l) => log(hide(l)) },
      {
        audit: { keys },
        purpose: "rotate-keys changes the keys in place",
        beforeApply: async (stepLog, outputs) => {
          if (opts.skipGuests) {
            stepLog("--no-guests: the guests' authorized_keys are NOT changed; they keep the old keys until cloud-init runs again.");
            return;
          }
          const env = resolveDefaults(parseEnvironment(rotation.after, rotation.file));
          await withInventory(opts.inventory, env, outputs, async (inventory) => {
            stepLog(`ansible-playbook rotate-keys.yml (${opts.inventory ? `inventory ${opts.inventory}` : "inventory from the Terraform outputs"})…`);
            // From here on some guests may hold the new keys: the spec keeps them, whatever happens next.
            guestsTouched = true;
            await pushAuthorizedKeys({ inventory, user: rotation.user, keys: rotation.keys, hide: removedLines.map((r) => r.key), log: stepLog });
          });
        },
      },
    );
    if (opts.dryRun) restore(rotation.file, rotation.before);
    return { ...result, keys };
  } catch (e) {
    if (!guestsTouched) restore(rotation.file, rotation.before);
    else
      log(
        `The spec keeps the new keys; once the cause is fixed, finish with \`proxmox-cdk rotate-keys ${opts.env} --push\` ` +
          "(pushes the spec's keys to every guest again and applies the cloud-init keys in place).",
      );
    throw e instanceof Error ? Object.assign(e, { message: hide(e.message) }) : e;
  }
}

function restore(file: string, text: string): void {
  writeFileAtomic(file, text, fs.statSync(file).mode & 0o777);
}

/**
 * Runs `use` with the given inventory, or one generated from the Terraform outputs into a private
 * temporary file — after checking that it has a host for every deployed guest that gets the keys
 * (Windows tiers have none): Ansible exits 0 on an inventory that misses a guest, which would
 * report a removed key gone while it still works there.
 */
async function withInventory(
  given: string | undefined,
  env: ReturnType<typeof resolveDefaults>,
  outputs: () => Promise<Record<string, unknown>>,
  use: (file: string) => Promise<void>,
): Promise<void> {
  const leftOut = new Set(tiersLeftOut(env).map((t) => t.tier));
  const vms = parseVmRows((await outputs()).vms, `the state of environment "${env.name}"`).filter((vm) => !leftOut.has(vm.tier));
  if (vms.length === 0) throw new Error(`Environment "${env.name}" has no deployed VMs in its state: run \`proxmox-cdk up ${env.name}\` first.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-inventory-"));
  try {
    let file = given;
    if (file === undefined) {
      file = path.join(dir, "inventory.yml");
      writeFileAtomic(file, renderInventory(env, vms), 0o600);
    }
    const missing = guestsMissingFromInventory(vms, await inventoryHosts(file, dir));
    if (missing.length > 0) {
      throw new Error(
        `The inventory ${given ?? "generated from the Terraform outputs"} has no host for ${missing.map((vm) => `${vm.name} (${vm.ipv4 || "no address yet"})`).join(", ")}: ` +
          "Ansible would leave their authorized_keys as they are and still succeed. Nothing was pushed. " +
          "Give an inventory with every guest of the environment (or none, to generate it), or wait until every guest reports its address.",
      );
    }
    await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
