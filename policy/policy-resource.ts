import {
  Aspects,
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Tokenization,
} from "cdktf";
import { IConstruct } from "constructs";
import { prepareKeepingResolved } from "../cdk/library-adapter";

/** A provider resource with its configuration as Terraform will read it (tokens resolved). */
export interface PolicyResource {
  readonly construct: TerraformResource;
  /** Resource type, e.g. `proxmox_virtual_environment_vm`. */
  readonly type: string;
  /** Terraform address, e.g. `proxmox_virtual_environment_vm.web_vm_77CCCF81`. */
  readonly address: string;
  /**
   * Resolved attributes; references to other resources stay `${…}` strings (unknown), except in a
   * PolicyContext, which substitutes those the stack decides at synth (references.ts).
   */
  readonly config: Readonly<Record<string, unknown>>;
  /** Why the configuration could not be resolved (then `config` is empty and nothing in it is known). */
  readonly unresolved?: string;
}

/** A variable or output with its resolved block. */
export interface PolicyElement {
  readonly construct: TerraformVariable | TerraformOutput;
  /** Name in the Terraform configuration. */
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Why the block could not be resolved (then `config` is empty and nothing in it is known). */
  readonly unresolved?: string;
}

/** The Terraform elements of one stack, resolved. */
export interface ResolvedStack {
  readonly resources: readonly PolicyResource[];
  readonly variables: readonly PolicyElement[];
  readonly outputs: readonly PolicyElement[];
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Marks the policy pack's aspect, the one aspect that leaves resources as they are. */
export const POLICY_ASPECT = Symbol.for("proxmox-cdk.policy-aspect");

/** Each element's configuration as a stack's last preparation resolved it, until a pack takes it. */
export type PreparedConfigs = ReadonlyMap<TerraformElement, unknown>;

const prepared = new WeakMap<TerraformStack, PreparedConfigs>();

/**
 * Runs the stack's own preparation (cdktf's or cdktn's `TerraformStack.prepareStack()`: make sure a
 * backend exists, resolve every element once in "preparing" mode, which registers cross-stack
 * references) and keeps each configuration it resolved for the policy pack, which App.synth runs
 * right after, so the pack need not resolve the whole stack a second time. Call it from a stack's
 * `prepareStack()` override instead of `super.prepareStack()` (EnvironmentStack does). Errors
 * propagate as the library's own preparation raises them. How the resolved configurations are
 * kept is the library adapter's business (cdk/library-adapter.ts).
 *
 * The next PolicyPack visit of the stack takes the configurations (or drops them, when it has
 * already evaluated); nothing else reads them, so `checkPolicy` always resolves afresh.
 */
export function prepareStackForPolicy(stack: TerraformStack): void {
  prepared.set(stack, prepareKeepingResolved(stack, stackElements(stack)));
}

/**
 * Removes and returns what {@link prepareStackForPolicy} kept for `stack`. Returns undefined — the
 * policy must resolve afresh — when there is nothing, or when an aspect other than the policy pack
 * is on the stack, inside it or above it (cdktf runs a parent stack's aspects over nested stacks):
 * aspects run after preparation and may change resources.
 */
export function takePreparedConfigs(stack: TerraformStack): PreparedConfigs | undefined {
  const kept = prepared.get(stack);
  prepared.delete(stack);
  return kept && !hasOtherAspects(stack) ? kept : undefined;
}

/**
 * Resolves every resource, variable and output of `stack` the way synthesis does (lazy values
 * produced, references rendered as `${…}`, null tokens as null, overrides applied). An element
 * whose resolution throws yields an empty configuration with `unresolved` saying why: the policy
 * reports it (rule PVE-POL-001) and cannot evaluate any of its attributes.
 * With `preparedConfigs` (from {@link takePreparedConfigs}) the elements found there are not
 * resolved again.
 */
export function resolveStack(stack: TerraformStack, preparedConfigs?: PreparedConfigs): ResolvedStack {
  const resources: PolicyResource[] = [];
  const variables: PolicyElement[] = [];
  const outputs: PolicyElement[] = [];
  for (const c of stackElements(stack)) {
    const resolved = preparedConfigs?.get(c);
    if (c instanceof TerraformResource) {
      const { name, ...rest } = single(stack, c, resolved, "resource", c.terraformResourceType);
      resources.push({ construct: c, type: c.terraformResourceType, address: `${c.terraformResourceType}.${name}`, ...rest });
    } else if (c instanceof TerraformVariable) {
      variables.push({ construct: c, ...single(stack, c, resolved, "variable") });
    } else if (c instanceof TerraformOutput) {
      outputs.push({ construct: c, ...single(stack, c, resolved, "output") });
    }
  }
  return { resources, variables, outputs };
}

/** The Terraform elements of `stack` in construct-tree order, not descending into nested stacks. */
function stackElements(stack: TerraformStack): TerraformElement[] {
  const found: TerraformElement[] = [];
  const visit = (node: IConstruct): void => {
    if (TerraformElement.isTerraformElement(node)) found.push(node);
    for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return found;
}

function hasOtherAspects(stack: TerraformStack): boolean {
  const foreign = (node: IConstruct) => Aspects.of(node).all.some((a) => !(a as { [POLICY_ASPECT]?: boolean })[POLICY_ASPECT]);
  const below = (node: IConstruct): boolean => foreign(node) || node.node.children.some((child) => !TerraformStack.isStack(child) && below(child));
  return stack.node.scopes.some(foreign) || below(stack);
}

function single(
  stack: TerraformStack,
  element: TerraformElement,
  preparedConfig: unknown,
  section: string,
  type?: string,
): { name: string; config: Record<string, unknown>; unresolved?: string } {
  let resolved = preparedConfig as Record<string, Record<string, unknown>> | undefined;
  if (resolved === undefined) {
    try {
      resolved = Tokenization.resolve(element.toTerraform(), { scope: stack, preparing: false, resolver: RESOLVER }) as Record<string, Record<string, unknown>>;
    } catch (e) {
      return { name: element.friendlyUniqueId, config: {}, unresolved: e instanceof Error ? e.message.split("\n")[0] : String(e) };
    }
  }
  const group = (type ? resolved?.[section]?.[type] : resolved?.[section]) as Record<string, Record<string, unknown>> | undefined;
  const [name, body] = Object.entries(group ?? {})[0] ?? [element.friendlyUniqueId, {}];
  const config: Record<string, unknown> = { ...body };
  delete config["//"];
  return { name, config };
}
