import { scalarText } from "../terraform/scalar-text";
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { STAGES, Stage } from "../constructs/stage";
import { PolicyElement, PolicyResource, PreparedConfigs, resolveStack } from "./policy-resource";
import { substituteKnownReferences } from "./references";
import { T } from "./resource-types";
import type { Violation } from "./rule";
import { UnevaluableError } from "./unevaluable";
import { asNum, ConfigOwner, isUnknown, raw, strList, trackConfig } from "./values";

/** `${<type>.<name>.vm_id}` or `${<type>.<name>.id}` anywhere in an expression; group 1 is the address. */
const VM_ID_REFERENCE = /\$\{([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.(?:vm_id|id)\}/g;

/** What the rules may be told about the environment beyond the resources. */
export interface PolicyContextOptions {
  /**
   * Stage of resources that carry no stage tag (`dev`, `staging` or `prod`; the constructs tag every
   * VM with its stage, and a tag always wins over this).
   * @default none — stage-dependent rules skip untagged resources
   */
  readonly stage?: Stage;
  /**
   * Number of PVE nodes in the cluster.
   * @default the number of distinct known `node_name` values of the VMs and containers
   */
  readonly nodeCount?: number;
  /**
   * The date suppression expiry is judged against.
   * @default the current time
   */
  readonly now?: Date;
  /**
   * When each SSH key of the guests was added, and the oldest a key may be (an environment spec
   * records both: `cloudInit.sshKeys[].added`, `cloudInit.maxKeyAgeDays`). Rule PVE-CI-005 judges
   * each key a guest's cloud-init user carries against it.
   * @default none — PVE-CI-005 does not judge: a guest's configuration carries no key dates
   */
  readonly sshKeyAges?: SshKeyAges;
}

/** What is known about the age of SSH keys (see {@link PolicyContextOptions.sshKeyAges}). */
export interface SshKeyAges {
  /** Oldest a key may be, in days. */
  readonly maxAgeDays: number;
  /** Known keys by fingerprint (`SHA256:…`); `added` (`YYYY-MM-DD`) is absent when the date was not recorded. */
  readonly keys: readonly { readonly fingerprint: string; readonly added?: string }[];
}

/** What a rule sees: every resource, variable and output of one stack, plus derived facts. */
export class PolicyContext {
  /** The stack; stack-wide findings ("no cluster firewall") are reported on it. */
  readonly stack: TerraformStack;
  readonly resources: readonly PolicyResource[];
  readonly variables: readonly PolicyElement[];
  readonly outputs: readonly PolicyElement[];
  /** Nodes in the cluster (option, or distinct node names seen). */
  readonly nodeCount: number;
  /** Date for expiry checks. */
  readonly now: Date;
  /** Key dates and the key age limit, when the caller knows them. */
  readonly sshKeyAges?: SshKeyAges;
  private readonly defaultStage?: Stage;
  private readonly byConstruct: ReadonlyMap<IConstruct, PolicyResource>;
  private vmIndex?: { readonly byAddress: ReadonlyMap<string, PolicyResource>; readonly byId: ReadonlyMap<number, PolicyResource[]> };
  private readonly designatedByList = new WeakMap<object, ReadonlySet<PolicyResource>>();

  /**
   * @param preparedConfigs what the stack's preparation resolved (PolicyPack passes what
   *   `takePreparedConfigs` returned); elements found there are not resolved again.
   */
  constructor(stack: TerraformStack, options: PolicyContextOptions = {}, preparedConfigs?: PreparedConfigs) {
    if (options.nodeCount !== undefined && (!Number.isInteger(options.nodeCount) || options.nodeCount < 1)) {
      throw new Error(`policy option nodeCount must be a positive integer, got ${options.nodeCount}.`);
    }
    if (options.stage !== undefined && !STAGES.includes(options.stage)) {
      throw new Error(`policy option stage must be one of ${STAGES.join(", ")}, got "${options.stage}".`);
    }
    this.stack = stack;
    const resolved = resolveStack(stack, preparedConfigs);
    const byAddress = new Map(resolved.resources.map((r) => [r.address, r.config]));
    const known = <E extends { config: Readonly<Record<string, unknown>>; unresolved?: string }>(e: E, owner: Omit<ConfigOwner, "unresolved">): E => {
      const config = substituteKnownReferences(e.config, byAddress) as Record<string, unknown>;
      trackConfig(config, { ...owner, ...(e.unresolved !== undefined ? { unresolved: e.unresolved } : {}) });
      return { ...e, config };
    };
    this.resources = resolved.resources.map((r) => known(r, { construct: r.construct, label: r.address, type: r.type }));
    this.variables = resolved.variables.map((v) => known(v, { construct: v.construct, label: `var.${v.name}`, type: "variable" }));
    this.outputs = resolved.outputs.map((o) => known(o, { construct: o.construct, label: `output.${o.name}`, type: "output" }));
    this.byConstruct = new Map(this.resources.map((r) => [r.construct, r]));
    this.defaultStage = options.stage;
    this.now = options.now ?? new Date();
    if (options.sshKeyAges !== undefined) {
      const max = options.sshKeyAges.maxAgeDays;
      if (!Number.isInteger(max) || max < 1) throw new Error(`policy option sshKeyAges.maxAgeDays must be a positive integer, got ${max}.`);
      this.sshKeyAges = options.sshKeyAges;
    }
    // Only the HW-003 warning reads the node count; an unknown node name is simply not counted.
    const nodes = new Set(
      this.ofType([...T.vm, ...T.container])
        .map((r) => raw(r.config, "node_name"))
        .filter((n): n is string => typeof n === "string" && !isUnknown(n)),
    );
    this.nodeCount = options.nodeCount ?? nodes.size;
  }

  /** Resources of the given types, in construct-tree order. */
  ofType(types: readonly string[]): PolicyResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /** The resource a construct is, if any. */
  resourceOf(construct: IConstruct): PolicyResource | undefined {
    return this.byConstruct.get(construct);
  }

  /**
   * The VMs and templates of the stack that `value` designates by id: each `${<vm address>.vm_id}`
   * or `${<vm address>.id}` reference in it (how a construct's `vm.vmId` renders when PVE
   * allocates the id), or a literal number equal to a VM's `vm_id`. A list designates the VMs of
   * its elements. Indexed once per context, so rules stay linear in the number of resources.
   */
  vmsDesignatedBy(value: unknown): ReadonlySet<PolicyResource> {
    if (Array.isArray(value)) {
      let set = this.designatedByList.get(value);
      if (!set) {
        set = new Set(value.flatMap((v) => [...this.vmsDesignatedBy(v)]));
        this.designatedByList.set(value, set);
      }
      return set;
    }
    if (value === undefined || value === null) return new Set();
    const index = (this.vmIndex ??= this.indexVms());
    const text = scalarText(value);
    const found = new Set<PolicyResource>();
    const literal = asNum(text);
    if (literal !== undefined) for (const vm of index.byId.get(literal) ?? []) found.add(vm);
    for (const m of text.matchAll(VM_ID_REFERENCE)) {
      const vm = index.byAddress.get(m[1]);
      if (vm) found.add(vm);
    }
    return found;
  }

  private indexVms(): NonNullable<PolicyContext["vmIndex"]> {
    const byAddress = new Map<string, PolicyResource>();
    const byId = new Map<number, PolicyResource[]>();
    for (const vm of this.ofType(T.vm)) {
      byAddress.set(vm.address, vm);
      const id = asNum(raw(vm.config, "vm_id"));
      if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), vm]);
    }
    return { byAddress, byId };
  }

  /**
   * Stage of a resource: its stage tag, else the pack's `stage` option, else undefined. Throws
   * UnevaluableError when the tags are unknown until apply (they could name any stage).
   */
  stageOf(resource: PolicyResource): Stage | undefined {
    const tags = strList(resource.config, "tags") ?? [];
    return STAGES.find((s) => tags.includes(s)) ?? this.defaultStage;
  }

  /** Elements whose configuration could not be resolved at all. */
  get unresolved(): readonly (PolicyResource | PolicyElement)[] {
    return [...this.resources, ...this.variables, ...this.outputs].filter((e) => e.unresolved !== undefined);
  }

  /**
   * Judges each subject on its own: `judge` returns the subject's violations, and a value it cannot
   * evaluate (an {@link UnevaluableError}) becomes a "could not evaluate" violation on the element
   * holding that value instead of ending the rule. Rules iterate with it so that one unknown value
   * neither hides the other subjects' violations nor passes for a good value.
   */
  each<S>(subjects: Iterable<S>, judge: (subject: S) => readonly Violation[]): Violation[] {
    const found: Violation[] = [];
    for (const subject of subjects) {
      try {
        found.push(...judge(subject));
      } catch (e) {
        if (!(e instanceof UnevaluableError)) throw e;
        found.push(unevaluatedViolation(e, this.stack));
      }
    }
    return found;
  }
}

/** The violation for a value that could not be evaluated: on its owner, or on the stack when it has none. */
export function unevaluatedViolation(e: UnevaluableError, stack: TerraformStack): Violation {
  return { subject: e.owner?.construct ?? stack, message: e.message, unevaluated: { attribute: e.attribute, ownerType: e.owner?.type } };
}
