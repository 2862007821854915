import * as fs from "fs";
import * as os from "os";
import { Command, ENV_ARGUMENT, envArgument, UsageError } from "../command";
import { stringFlag } from "../args";
import { TARGET_OPTIONS } from "../target-option";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `--add @FILE` reads the key from FILE (its first non-empty line); anything else is the key line itself. */
function keyArgument(value: string): string {
  if (!value.startsWith("@")) return value;
  // The shell does not expand ~ after @.
  const file = value.slice(1).replace(/^~(?=\/)/, os.homedir());
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--add ${value}: cannot read ${file}: ${(e as Error).message}`);
  }
  return text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
}

/** `proxmox-cdk rotate-keys <env> --add KEY [--remove FINGERPRINT]`: rotate the guests' SSH keys in place. */
export const rotateKeysCommand: Command = {
  name: "rotate-keys",
  summary: "add and remove SSH keys of an environment's guests, in place",
  args: {
    ...ENV_ARGUMENT,
    options: {
      ...TARGET_OPTIONS,
      add: { type: "string", valueName: "KEY", description: 'public key line to add ("ssh-ed25519 AAAA… user@host"), or @FILE to read it from a .pub file' },
      remove: { type: "string", valueName: "FINGERPRINT", description: "fingerprint of the key to remove, as `ssh-keygen -lf key.pub` prints it (SHA256:…)" },
      inventory: {
        type: "string",
        short: "i",
        valueName: "FILE",
        description: "Ansible inventory of the guests (default: generated from the Terraform outputs)",
      },
      push: {
        type: "boolean",
        description: "without --add and --remove: push the spec's current keys to the guests again and apply them in place (finishes a failed run)",
      },
      "no-guests": { type: "boolean", description: "do not run Ansible: change the spec and the cloud-init keys only (reported and audited)" },
      "dry-run": { type: "boolean", description: "validate and plan only; change nothing (the spec is restored)" },
    },
  },
  description: `Rotates the SSH keys of environments/<env>.yaml's cloud-init user on its running guests, without
replacing a VM. Everything is checked before anything changes: the new key is a valid public key
not in the spec yet, the fingerprint names a key of the spec, at least one key is left.

Then: the spec is rewritten (atomically, comments kept; the new key as { key, added: <today> });
the environment is planned and the run refused unless every change is an in-place update (a
create, destroy or replace is left to \`up\`, which asks first); Ansible (ansible/rotate-keys.yml,
authorized_key with exclusive: true) sets each guest's authorized_keys to exactly the new keys;
the plan is applied, which updates the cloud-init keys — the provider regenerates the cloud-init
drive and reboots each running VM once. A refused plan restores the spec. The audit log records
the fingerprints added and removed, never key material.

The key you connect with must stay in the list (or you need another way in): the old key stops
working once Ansible has run. Container tiers are refused: PVE writes a container's keys only
when it is created. Adopted guests are refused too: their keys are not in the inventory yet.
Before Ansible runs, the inventory must have a host for every deployed guest that gets the keys.

If a run fails once Ansible has started, the spec keeps the new keys: fix the cause and run
\`rotate-keys <env> --push\`, which pushes the spec's keys again and applies them in place.

Example: proxmox-cdk rotate-keys prod --add @~/.ssh/id_ed25519_2027.pub --remove SHA256:ctVn+tS+9oMjEMmW1e3FRAytejgAkuROY/p1eP7u/yE`,
  async run(args) {
    const env = envArgument(args, "rotate-keys");
    const add = stringFlag(args, "add");
    const remove = stringFlag(args, "remove");
    const push = args.flags.push === true;
    if (push && (add !== undefined || remove !== undefined))
      throw new UsageError("--push re-pushes the spec's current keys: give it without --add and --remove.");
    if (!push && add === undefined && remove === undefined) throw new UsageError("give --add KEY and/or --remove FINGERPRINT, or --push.");
    await ensureCliToolchain();
    const { rotateKeys } = require("../../deploy/rotate-keys") as typeof import("../../deploy/rotate-keys");
    const { printResult } = require("../print-result") as typeof import("../print-result");
    const dryRun = args.flags["dry-run"] === true;
    const result = await rotateKeys({
      root: projectRoot(),
      env,
      sim: args.flags.sim === true,
      dryRun,
      add: add === undefined ? [] : [keyArgument(add)],
      remove: remove === undefined ? [] : [remove],
      push,
      inventory: stringFlag(args, "inventory"),
      skipGuests: args.flags["no-guests"] === true,
    });
    printResult(result, dryRun ? `rotate-keys ${env} (dry run)` : `rotate-keys ${env}`);
    console.log(
      `Keys added: ${result.keys.added.join(", ") || "none"}; removed: ${result.keys.removed.join(", ") || "none"}; guests: ${dryRun ? "not changed (dry run)" : result.keys.guests}.`,
    );
    return 0;
  },
};
