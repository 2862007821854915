import { destroys, pathText, resourceLabel, ResourceChange, TerraformPlan } from "../terraform/terraform-plan";

/** A resource the plan destroys or replaces (see `destroys` in terraform/terraform-plan.ts). */
export type DestructiveChange = ResourceChange;

/**
 * Every destroy and replace of a plan: what consent is asked for. The same list the plan review's
 * "Destroy and replace" section shows (review/review-markdown.ts).
 */
export function destructiveChanges(plan: TerraformPlan): DestructiveChange[] {
  return destroys(plan);
}

/** The destroy/replace section of the plan review, for a terminal: one line per resource. */
export function formatDestructiveChanges(changes: readonly DestructiveChange[]): string[] {
  if (changes.length === 0) return [];
  return [
    `Destroy and replace (${changes.length}):`,
    ...changes.map((c) => {
      // The construct path, as the review names it, and the address terraform commands take.
      const name = c.constructPath ? `${resourceLabel(c)} (${c.address})` : c.address;
      const forced = c.replacePaths.map(pathText);
      return c.action === "replace" ? `  replace ${name}${forced.length ? ` — forced by ${forced.join(", ")}` : ""}` : `  destroy ${name}`;
    }),
  ];
}
