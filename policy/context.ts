import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { STAGES, Stage } from "../constructs/stage";
import { PolicyElement, PolicyResource, resolveStack } from "./policy-resource";
import { T } from "./resource-types";
import { str, strList } from "./values";

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
  private readonly defaultStage?: Stage;

  constructor(stack: TerraformStack, options: PolicyContextOptions = {}) {
    if (options.nodeCount !== undefined && (!Number.isInteger(options.nodeCount) || options.nodeCount < 1)) {
      throw new Error(`policy option nodeCount must be a positive integer, got ${options.nodeCount}.`);
    }
    if (options.stage !== undefined && !STAGES.includes(options.stage)) {
      throw new Error(`policy option stage must be one of ${STAGES.join(", ")}, got "${options.stage}".`);
    }
    this.stack = stack;
    const resolved = resolveStack(stack);
    this.resources = resolved.resources;
    this.variables = resolved.variables;
    this.outputs = resolved.outputs;
    this.defaultStage = options.stage;
    this.now = options.now ?? new Date();
    const nodes = new Set(
      this.ofType([...T.vm, ...T.container])
        .map((r) => str(r.config.node_name))
        .filter((n): n is string => n !== undefined),
    );
    this.nodeCount = options.nodeCount ?? nodes.size;
  }

  /** Resources of the given types, in construct-tree order. */
  ofType(types: readonly string[]): PolicyResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /** The resource a construct is, if any. */
  resourceOf(construct: IConstruct): PolicyResource | undefined {
    return this.resources.find((r) => r.construct === construct);
  }

  /** Stage of a resource: its stage tag, else the pack's `stage` option, else undefined. */
  stageOf(resource: PolicyResource): Stage | undefined {
    const tags = strList(resource.config.tags) ?? [];
    return STAGES.find((s) => tags.includes(s)) ?? this.defaultStage;
  }
}
