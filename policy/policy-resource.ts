import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Tokenization } from "cdktf";

/** A provider resource with its configuration as Terraform will read it (tokens resolved). */
export interface PolicyResource {
  readonly construct: TerraformResource;
  /** Resource type, e.g. `proxmox_virtual_environment_vm`. */
  readonly type: string;
  /** Terraform address, e.g. `proxmox_virtual_environment_vm.web_vm_77CCCF81`. */
  readonly address: string;
  /** Resolved attributes; references to other resources stay `${…}` strings (unknown). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** A variable or output with its resolved block. */
export interface PolicyElement {
  readonly construct: TerraformVariable | TerraformOutput;
  /** Name in the Terraform configuration. */
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** The Terraform elements of one stack, resolved. */
export interface ResolvedStack {
  readonly resources: readonly PolicyResource[];
  readonly variables: readonly PolicyElement[];
  readonly outputs: readonly PolicyElement[];
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Resolves every resource, variable and output of `stack` the way synthesis does (lazy values
 * produced, references rendered as `${…}`, null tokens as null, overrides applied). An element
 * whose resolution throws yields an empty configuration: its attributes are all unknown.
 */
export function resolveStack(stack: TerraformStack): ResolvedStack {
  const resources: PolicyResource[] = [];
  const variables: PolicyElement[] = [];
  const outputs: PolicyElement[] = [];
  for (const c of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(c) || TerraformStack.of(c) !== stack) continue;
    if (c instanceof TerraformResource) {
      const { name, config } = single(stack, c, "resource", c.terraformResourceType);
      resources.push({ construct: c, type: c.terraformResourceType, address: `${c.terraformResourceType}.${name}`, config });
    } else if (c instanceof TerraformVariable) {
      variables.push({ construct: c, ...single(stack, c, "variable") });
    } else if (c instanceof TerraformOutput) {
      outputs.push({ construct: c, ...single(stack, c, "output") });
    }
  }
  return { resources, variables, outputs };
}

function single(
  stack: TerraformStack,
  element: TerraformElement,
  section: string,
  type?: string,
): { name: string; config: Record<string, unknown> } {
  let resolved: Record<string, Record<string, unknown>> | undefined;
  try {
    resolved = Tokenization.resolve(element.toTerraform(), { scope: stack, preparing: false, resolver: RESOLVER });
  } catch {
    resolved = undefined;
  }
  const group = (type ? resolved?.[section]?.[type] : resolved?.[section]) as Record<string, Record<string, unknown>> | undefined;
  const [name, body] = Object.entries(group ?? {})[0] ?? [element.friendlyUniqueId, {}];
  const { "//": _metadata, ...config } = body ?? {};
  return { name, config };
}
