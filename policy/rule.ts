import { IConstruct } from "constructs";
import { Severity } from "./finding";
import type { PolicyContext } from "./context";

/** A control of a published baseline that a rule helps satisfy. */
export interface ControlMapping {
  /** The baseline, e.g. `CIS Controls v8` or `DevSec SSH Baseline`. */
  readonly framework: string;
  /** Control or safeguard id as the baseline writes it, e.g. `4.4` or `sshd-06`. */
  readonly control: string;
  /** The control's title. */
  readonly title: string;
}

/** One construct breaking a rule. */
export interface Violation {
  /** The construct to blame (usually a provider resource; the stack for "missing" findings). */
  readonly subject: IConstruct;
  /** What is wrong, naming the offending value. */
  readonly message: string;
  /**
   * Set when the rule could not decide: the attribute it could not evaluate and the type of the
   * element holding it (the pack derives the finding's severity from both).
   * @default undefined — a decided violation
   */
  readonly unevaluated?: { readonly attribute: string; readonly ownerType?: string };
}

/**
 * A policy rule, cdk-nag style: one per file in `policy/rules/`, the id equal to the file name.
 * `check` sees every resource of the stack and returns the violations it finds. It reads values
 * through values.ts, whose readers throw on a value unknown until apply; iterating with
 * `context.each` turns that into a "could not evaluate" finding per subject. Whatever a rule throws
 * is a finding too (see check-policy.ts): a rule that cannot decide never passes silently.
 */
export interface PolicyRule {
  /** `PVE-<AREA>-<NNN>`, equal to the file name. */
  readonly id: string;
  readonly severity: Severity;
  /** What the rule requires, one line. */
  readonly description: string;
  /** How to fix a violation, one sentence. */
  readonly remediation: string;
  /** Baseline controls the rule maps to; empty when none fits exactly. */
  readonly mappings: readonly ControlMapping[];
  /**
   * Why the rule judges only synthesised Terraform (variables, outputs, suppressions, provider-only
   * attributes, how a stack is composed) and so cannot judge a live cluster's configuration:
   * `proxmox-cdk scan` skips it and shows this reason.
   * @default undefined — the rule applies to live configuration too (scan/live-stack.ts maps it)
   */
  readonly terraformOnly?: string;
  check(context: PolicyContext): Violation[];
}

/** True when `proxmox-cdk scan` evaluates the rule on live configuration (it is not {@link PolicyRule.terraformOnly}). */
export function appliesLive(rule: PolicyRule): boolean {
  return rule.terraformOnly === undefined;
}

/** Tag text of a mapping, e.g. `CIS Controls v8 4.4`. */
export function mappingTag(m: ControlMapping): string {
  return `${m.framework} ${m.control}`;
}

/** CIS Critical Security Controls v8 safeguards used by the rules. */
export const CIS = {
  encryptDataAtRest: { framework: "CIS Controls v8", control: "3.11", title: "Encrypt Sensitive Data at Rest" },
  firewallOnServers: { framework: "CIS Controls v8", control: "4.4", title: "Implement and Manage a Firewall on Servers" },
  defaultAccounts: { framework: "CIS Controls v8", control: "4.7", title: "Manage Default Accounts on Enterprise Assets and Software" },
  adminPrivileges: {
    framework: "CIS Controls v8",
    control: "5.4",
    title: "Restrict Administrator Privileges to Dedicated Administrator Accounts",
  },
  roleBasedAccess: { framework: "CIS Controls v8", control: "6.8", title: "Define and Maintain Role-Based Access Control" },
  automatedBackups: { framework: "CIS Controls v8", control: "11.2", title: "Perform Automated Backups" },
  protectRecoveryData: { framework: "CIS Controls v8", control: "11.3", title: "Protect Recovery Data" },
  networkArchitecture: { framework: "CIS Controls v8", control: "12.2", title: "Establish and Maintain a Secure Network Architecture" },
} as const satisfies Record<string, ControlMapping>;

/** DevSec SSH Baseline (dev-sec/ssh-baseline, controls/sshd_spec.rb) controls used by the rules. */
export const DEVSEC = {
  noRootLogin: {
    framework: "DevSec SSH Baseline",
    control: "sshd-06",
    title: "Server: Do not permit root-based login or do not allow password and keyboard-interactive authentication",
  },
  pubkeyAuthentication: { framework: "DevSec SSH Baseline", control: "sshd-22", title: "Server: Enable PubkeyAuthentication" },
  noPasswordAuthentication: { framework: "DevSec SSH Baseline", control: "sshd-27", title: "Server: Disable password-based authentication" },
} as const satisfies Record<string, ControlMapping>;
