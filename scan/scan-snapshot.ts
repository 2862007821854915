import { evaluate, resultOf } from "../policy/check-policy";
import { PolicyResult } from "../policy/finding";
import { appliesLive, PolicyRule } from "../policy/rule";
import { ALL_RULES } from "../policy/rules";
import { buildLiveStack, LiveGuestEntry } from "./live-stack";
import { LiveSnapshot } from "./live-snapshot";
import { ManagedBy, managedBy, StateIndex } from "./managed-guests";

/** Options of {@link scanSnapshot}. */
export interface ScanOptions {
  /**
   * The rule set; those marked `terraformOnly` are skipped and listed in `notApplied`.
   * @default ALL_RULES
   */
  readonly rules?: readonly PolicyRule[];
  /**
   * Guest ids of the environments' Terraform states (managed-guests.ts).
   * @default none — guests are recognised as managed by their tag only
   */
  readonly states?: StateIndex;
  /**
   * Date expiry checks are judged against.
   * @default the current time
   */
  readonly now?: Date;
}

/** A guest of the scan: where it is, whether proxmox-cdk manages it, the rules it breaks. */
export interface ScannedGuest extends LiveGuestEntry {
  readonly managed: boolean;
  /** Why it is managed: the environments whose state holds it, or the tag it carries. */
  readonly managedBy?: ManagedBy;
  /** Ids of the rules with findings on the guest (its config or its firewall), sorted. */
  readonly ruleIds: readonly string[];
}

/** What one scan found. */
export interface ScanResult {
  /** Findings of the rules that apply to live configuration, worst first. */
  readonly policy: PolicyResult;
  readonly guests: readonly ScannedGuest[];
  /** Rules that judge only synthesised Terraform, with the reason they were skipped. */
  readonly notApplied: readonly { readonly ruleId: string; readonly reason: string }[];
}

/**
 * Judges a cluster's configuration with the policy pack: the snapshot becomes the provider
 * resources it would be in Terraform (live-stack.ts) and the same rule implementations run on it,
 * with the cluster's node count.
 */
export function scanSnapshot(snapshot: LiveSnapshot, options: ScanOptions = {}): ScanResult {
  const all = options.rules ?? ALL_RULES;
  const rules = all.filter(appliesLive);
  const live = buildLiveStack(snapshot);
  const policyOptions = { rules, nodeCount: Math.max(1, snapshot.nodes.length), ...(options.now ? { now: options.now } : {}) };
  const policy = resultOf(
    evaluate(live.stack, policyOptions, () => live.prepared),
    policyOptions,
  );
  const guests = live.guests.map((g): ScannedGuest => {
    const by = managedBy(g.vmid, g.tags, options.states ?? new Map());
    const ruleIds = [...new Set(policy.findings.filter((f) => f.path === g.path || f.path.startsWith(`${g.path}/`)).map((f) => f.ruleId))].sort();
    return { ...g, managed: by !== undefined, ...(by ? { managedBy: by } : {}), ruleIds };
  });
  return { policy, guests, notApplied: all.filter((r) => !appliesLive(r)).map((r) => ({ ruleId: r.id, reason: r.terraformOnly ?? "" })) };
}
