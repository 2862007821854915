/** Counts of a Terraform plan. */
export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Resources destroyed and re-created (counted in add and destroy too). */
  readonly replace: number;
}

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[] };
}

/** The resource changes of `terraform show -json <plan>`. */
export function resourceChanges(planJson: Record<string, unknown>): ResourceChange[] {
  return ((planJson.resource_changes as ResourceChange[] | undefined) ?? []).filter(
    (c) => !(c.change.actions.length === 1 && c.change.actions[0] === "no-op") && !c.change.actions.includes("read"),
  );
}

/** Counts adds, changes, destroys and replacements in a plan. */
export function countPlan(planJson: Record<string, unknown>): PlanCounts {
  let add = 0;
  let change = 0;
  let destroy = 0;
  let replace = 0;
  for (const c of resourceChanges(planJson)) {
    const a = c.change.actions;
    if (a.includes("create") && a.includes("delete")) {
      replace++;
      add++;
      destroy++;
    } else if (a.includes("create")) add++;
    else if (a.includes("delete")) destroy++;
    else if (a.includes("update")) change++;
  }
  return { add, change, destroy, replace };
}

/** One line, like Terraform's: `Plan: 3 to add, 1 to change, 0 to destroy (1 replaced).` or `No changes.` */
export function formatCounts(c: PlanCounts): string {
  if (c.add + c.change + c.destroy === 0) return "No changes.";
  return `Plan: ${c.add} to add, ${c.change} to change, ${c.destroy} to destroy${c.replace ? ` (${c.replace} replaced)` : ""}.`;
}
