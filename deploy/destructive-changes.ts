import { actionOf, effectiveChanges, PlanJson } from "../review/plan-json";

/** A resource the plan destroys or replaces. */
export interface DestructiveChange {
  readonly address: string;
  readonly action: "delete" | "replace";
  /** Attribute paths that force the replacement, sorted (Terraform lists them in hash order). */
  readonly forcedBy: readonly string[];
}

/** Every destroy and replace of a plan: what consent is asked for. */
export function destructiveChanges(plan: PlanJson): DestructiveChange[] {
  return effectiveChanges(plan)
    .filter((c) => ["delete", "replace"].includes(actionOf(c)))
    .map((c) => ({
      address: c.address,
      action: actionOf(c) as "delete" | "replace",
      forcedBy: (c.change.replace_paths ?? []).map((p) => p.map(String).join(".")).sort(),
    }));
}

/** The destroy/replace section of the plan review, for a terminal: one line per resource. */
export function formatDestructiveChanges(changes: readonly DestructiveChange[]): string[] {
  if (changes.length === 0) return [];
  return [
    `Destroy and replace (${changes.length}):`,
    ...changes.map((c) => (c.action === "replace" ? `  replace ${c.address}${c.forcedBy.length ? ` — forced by ${c.forcedBy.join(", ")}` : ""}` : `  destroy ${c.address}`)),
  ];
}
