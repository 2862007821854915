/** The parts of `terraform show -json <plan>` the review reads. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChangeJson[];
}

/** One entry of `resource_changes`. */
export interface ResourceChangeJson {
  readonly address: string;
  readonly type: string;
  readonly name?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    /** Attribute paths whose change forces the replacement. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  readonly action_reason?: string;
}

/** The action of a change in one word: create, update, delete, replace, no-op, read. */
export function actionOf(c: ResourceChangeJson): "create" | "update" | "delete" | "replace" | "no-op" | "read" {
  const a = c.change.actions;
  if (a.includes("create") && a.includes("delete")) return "replace";
  if (a.includes("create")) return "create";
  if (a.includes("delete")) return "delete";
  if (a.includes("update")) return "update";
  if (a.includes("read")) return "read";
  return "no-op";
}

/** Changes that do something (no no-ops, no data reads). */
export function effectiveChanges(plan: PlanJson): ResourceChangeJson[] {
  return (plan.resource_changes ?? []).filter((c) => !["no-op", "read"].includes(actionOf(c)));
}
