import { PolicyContext } from "./context";
import { scalarText } from "../terraform/scalar-text";
import { PolicyResource } from "./policy-resource";
import { T } from "./resource-types";
import { asBool, asNum, block, raw } from "./values";

/**
 * Containers that run (container templates excluded). A container whose `template` flag is unknown
 * until apply counts as running: the container rules judge it rather than skip it.
 */
export function runningContainers(ctx: PolicyContext): PolicyResource[] {
  return ctx.ofType(T.container).filter((ct) => asBool(raw(ct.config, "template")) !== true);
}

/** Human name of a container for messages: its hostname, else its address. */
export function containerLabel(ct: PolicyResource): string {
  const name = raw(block(ct.config, "initialization") ?? {}, "hostname");
  return typeof name === "string" && name !== "" && !name.includes("${") ? `container "${name}"` : ct.address;
}

/**
 * True when `value` (a firewall resource's `container_id`) designates `ct`: the same literal id, or
 * a reference to the container's `vm_id`/`id` (how a construct's `ct.vmId` renders when PVE
 * allocates the id).
 */
export function designatesContainer(value: unknown, ct: PolicyResource): boolean {
  if (value === undefined || value === null) return false;
  const text = scalarText(value);
  const id = asNum(raw(ct.config, "vm_id"));
  if (id !== undefined && asNum(text) === id) return true;
  return text.includes(`\${${ct.address}.vm_id}`) || text.includes(`\${${ct.address}.id}`);
}
