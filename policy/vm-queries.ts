import { PolicyContext } from "./context";
import { PolicyResource } from "./policy-resource";
import { T } from "./resource-types";
import { asBool, block, bool, raw, str, value } from "./values";

/** True for a VM template (never runs: runtime rules skip it). */
export function isTemplate(vm: PolicyResource): boolean {
  return bool(vm.config, "template") === true;
}

/**
 * VMs that run (templates excluded). A VM whose `template` flag is unknown until apply counts as
 * running: the runtime rules judge it rather than skip it.
 */
export function runningVms(ctx: PolicyContext): PolicyResource[] {
  return ctx.ofType(T.vm).filter((vm) => asBool(raw(vm.config, "template")) !== true);
}

/** Human name of a VM for messages: its `name`, else its address. */
export function vmLabel(vm: PolicyResource): string {
  const name = raw(vm.config, "name");
  return typeof name === "string" && name !== "" && !name.includes("${") ? `VM "${name}"` : vm.address;
}

/**
 * True when `value` designates the VM id of `vm`: the same literal id, or an expression that
 * references the VM's `vm_id`/`id` (as a construct's `vm.vmId` renders when PVE allocates the id).
 */
export function refersToVmId(ctx: PolicyContext, value: unknown, vm: PolicyResource): boolean {
  return ctx.vmsDesignatedBy(value).has(vm);
}

/** The template or VM a clone was made from, when it is in the same stack. */
export function cloneSource(ctx: PolicyContext, vm: PolicyResource): PolicyResource | undefined {
  const clone = block(vm.config, "clone");
  if (!clone) return undefined;
  return [...ctx.vmsDesignatedBy(raw(clone, "vm_id"))].find((other) => other !== vm);
}

/**
 * A block of the VM, or of the VM it was cloned from when the VM does not set it (a clone keeps
 * its source's hardware it does not override). `undefined` also when the source is unknown.
 */
export function effectiveBlock(ctx: PolicyContext, vm: PolicyResource, key: string): Record<string, unknown> | undefined {
  const own = block(vm.config, key);
  if (own) return own;
  const source = cloneSource(ctx, vm);
  return source ? block(source.config, key) : undefined;
}

/** An attribute of the VM, or of its clone source when unset; throws when it is unknown until apply. */
export function effectiveAttr(ctx: PolicyContext, vm: PolicyResource, key: string): unknown {
  const own = value(vm.config, key);
  if (own !== undefined && own !== null) return own;
  return value(cloneSource(ctx, vm)?.config, key);
}

/** True when the VM is cloned from a VM outside this stack (its inherited settings are unknown). */
export function clonedFromElsewhere(ctx: PolicyContext, vm: PolicyResource): boolean {
  return block(vm.config, "clone") !== undefined && cloneSource(ctx, vm) === undefined;
}

/** True when the VM (or its clone source) declares a Windows ostype (win7 … win11). */
export function isWindows(ctx: PolicyContext, vm: PolicyResource): boolean {
  return /^win/.test(str(effectiveBlock(ctx, vm, "operating_system"), "type") ?? "");
}
