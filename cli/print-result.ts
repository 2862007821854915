import { WorkflowResult } from "../deploy/workflow";
import { hasChanges } from "../terraform/terraform-plan";

/** Prints the outputs table and a short summary of a workflow. */
export function printResult(result: WorkflowResult, what: string, log: (l: string) => void = console.log): void {
  const vms = result.outputs.vms as { name: string; id: number; node: string; ipv4: string; tier: string }[] | undefined;
  if (vms?.length) {
    log("");
    log(["NAME", "ID", "NODE", "IPV4", "TIER"].join("\t"));
    for (const vm of vms) log([vm.name, vm.id, vm.node, vm.ipv4, vm.tier].join("\t"));
  }
  const c = result.counts;
  log("");
  log(
    !hasChanges(c)
      ? `${what}: no changes (${result.target}).`
      : `${what}: ${c.add} added, ${c.change} changed, ${c.destroy} destroyed${c.replace ? `, ${c.replace} replaced` : ""} (${result.target}).`,
  );
}
