import { sshKeyFingerprint } from "../../constructs/ssh-key-fingerprint";
import { containerLabel, runningContainers } from "../container-queries";
import type { PolicyResource } from "../policy-resource";
import { PolicyRule, Violation } from "../rule";
import { block, isUnknown, unevaluable, value } from "../values";
import { runningVms, vmLabel } from "../vm-queries";

const DAY_MS = 86_400_000;

/** Guests named in a message before "and N more". */
const NAMED_GUESTS = 3;

/** PVE-CI-005: every SSH key a guest's cloud-init user carries was added within the allowed age. */
export const rule: PolicyRule = {
  id: "PVE-CI-005",
  severity: "warning",
  description:
    "Every SSH key of a guest's cloud-init user was added (cloudInit.sshKeys[].added) no longer ago than the environment allows (cloudInit.maxKeyAgeDays; default 365 days in staging and prod, 730 in dev).",
  remediation:
    "Rotate the key: `proxmox-cdk rotate-keys <env> --add <new key> --remove <old fingerprint>`; a key written as a plain line has no date: re-add it with rotate-keys (or write { key, added }).",
  mappings: [],
  terraformOnly:
    "the day a key was added is recorded in the environment spec (cloudInit.sshKeys[].added), not in PVE: a guest's configuration holds only the key lines.",
  check(ctx) {
    const ages = ctx.sshKeyAges;
    // Without key dates there is nothing to judge against (a library stack that was told none).
    if (ages === undefined) return [];
    const added = new Map(ages.keys.map((k) => [k.fingerprint, k.added]));
    const today = Date.parse(ctx.now.toISOString().slice(0, 10));
    // One finding per key, on the first guest carrying it: an environment gives every guest the same keys.
    const carriers = new Map<string, { readonly guests: PolicyResource[]; readonly labels: string[] }>();
    const collect = (guest: PolicyResource, label: string): Violation[] => {
      const account = block(block(guest.config, "initialization"), "user_account");
      const listed = value(account, "keys");
      for (const line of Array.isArray(listed) ? listed : []) {
        if (typeof line !== "string" || line === "") continue;
        if (isUnknown(line)) unevaluable(account, "keys", "an SSH key is unknown until apply, so its age cannot be judged");
        const fingerprint = sshKeyFingerprint(line);
        const entry = carriers.get(fingerprint) ?? { guests: [], labels: [] };
        entry.guests.push(guest);
        entry.labels.push(label);
        carriers.set(fingerprint, entry);
      }
      return [];
    };
    const undecided = [
      ...ctx.each(runningVms(ctx), (vm) => collect(vm, vmLabel(vm))),
      ...ctx.each(runningContainers(ctx), (ct) => collect(ct, containerLabel(ct))),
    ];
    const found: Violation[] = [];
    for (const [fingerprint, { guests, labels }] of carriers) {
      const on = labels.length > NAMED_GUESTS ? `${labels.slice(0, NAMED_GUESTS).join(", ")} and ${labels.length - NAMED_GUESTS} more` : labels.join(", ");
      const day = added.get(fingerprint);
      if (day === undefined) {
        found.push({ subject: guests[0].construct, message: `SSH key ${fingerprint} (on ${on}) has no recorded date, so its age is unknown.` });
        continue;
      }
      const age = Math.floor((today - Date.parse(day)) / DAY_MS);
      if (age > ages.maxAgeDays) {
        found.push({
          subject: guests[0].construct,
          message: `SSH key ${fingerprint} (on ${on}) was added ${day}, ${age} days ago; at most ${ages.maxAgeDays} are allowed.`,
        });
      }
    }
    return [...undecided, ...found];
  },
};
