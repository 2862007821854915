import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { VirtualEnvironmentVm, VirtualEnvironmentVmConfig } from "../../.gen/providers/proxmox/virtual-environment-vm";
import { HardenedVm, HardenedVmProps } from "../../constructs/hardened-vm";
import { renderNic } from "../../constructs/vm-network";
import { VmTemplate } from "../../constructs/vm-template";
import { checkPolicy, PolicyOptions } from "../../policy/check-policy";
import { Finding } from "../../policy/finding";
import { SSH_KEY, debianTemplate, newStack } from "../constructs/fixtures";

export { SSH_KEY, newStack };

const templates = new WeakMap<TerraformStack, VmTemplate>();

/** The stack's Debian template (created on first use, VM id 9000). */
export function templateOf(stack: TerraformStack): VmTemplate {
  let t = templates.get(stack);
  if (!t) {
    t = debianTemplate(stack);
    templates.set(stack, t);
  }
  return t;
}

/** A HardenedVm cloned from the stack's template with the constructs' defaults, plus `props`. */
export function hardenedVm(scope: Construct, id: string, props: Partial<HardenedVmProps> = {}): HardenedVm {
  return new HardenedVm(scope, id, {
    node: "pve1",
    name: id,
    template: templateOf(TerraformStack.of(scope)),
    user: { sshKeys: [SSH_KEY] },
    ...props,
  });
}

/**
 * A raw provider VM as a user might write it without our constructs: tagged dev, one firewalled
 * NIC, the agent with a bounded wait, a discarding disk; `config` overrides any of it.
 */
export function rawVm(stack: Construct, id: string, config: Partial<VirtualEnvironmentVmConfig> = {}): VirtualEnvironmentVm {
  return new VirtualEnvironmentVm(stack, id, {
    nodeName: "pve1",
    name: id,
    tags: ["dev"],
    agent: { enabled: true, timeout: "2m" },
    networkDevice: [renderNic({ bridge: "vmbr0" })],
    disk: [{ interface: "scsi0", datastoreId: "local-lvm", size: 8, discard: "on" }],
    ...config,
  });
}

/** A fresh stack (provider configured) built by `build`. */
export function stackWith(build: (stack: TerraformStack) => void, id = "policy"): TerraformStack {
  const { stack } = newStack(id);
  build(stack);
  return stack;
}

/** Findings of one rule on a stack. */
export function findingsOf(stack: IConstruct, ruleId: string, options: PolicyOptions = {}): Finding[] {
  return checkPolicy(stack, options).filter((f) => f.ruleId === ruleId);
}

/** One rule's fixtures: stacks that break it (named variants) and one that complies. */
export interface RuleCase {
  readonly ruleId: string;
  /** Options for every fixture of the case. @default {} */
  readonly options?: PolicyOptions;
  /** Each builds a stack that breaks the rule; the name says how. */
  readonly bad: Readonly<Record<string, (stack: TerraformStack) => void>>;
  /** Builds a stack that complies (and is as close to `bad` as possible). */
  readonly good: (stack: TerraformStack) => void;
}
