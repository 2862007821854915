import { z } from "zod";

/**
 * The one reader of `terraform show -json <planfile>`: deploy, review, drift and the consent and
 * destroy checks read plans through this module, so "what changes" and "has changes" have one
 * definition.
 */

/** What a change does to one resource, in one word. */
export type PlanAction = "create" | "read" | "update" | "replace" | "delete" | "forget" | "no-op";

/** A path into a resource's attributes, as Terraform writes it: `["clone", 0, "node_name"]`. */
export type AttributePath = readonly (string | number)[];

/** A resource's attribute values as the plan records them. */
export type Attributes = Readonly<Record<string, unknown>>;

/** One planned (or drifted) resource. */
export interface ResourceChange {
  /** Terraform address, e.g. `proxmox_virtual_environment_vm.tier-web_web-1_vm_5213BF9D`. */
  readonly address: string;
  /** Resource type, e.g. `proxmox_virtual_environment_vm`. */
  readonly type: string;
  /** Resource name (the cdktf logical id). */
  readonly name: string;
  readonly mode: "managed" | "data";
  readonly action: PlanAction;
  /** Terraform's own action list, e.g. `["delete", "create"]`. */
  readonly actions: readonly string[];
  /** Values before the change; null when the resource does not exist yet. */
  readonly before: Attributes | null;
  /** Values after the change (unknown ones left out); null when the resource goes away. */
  readonly after: Attributes | null;
  /** `true` at every attribute whose value is known only after apply (Terraform's `after_unknown`). */
  readonly afterUnknown: unknown;
  /** `true` at every sensitive attribute of `before` (Terraform's `before_sensitive`). */
  readonly beforeSensitive: unknown;
  /** `true` at every sensitive attribute of `after` (Terraform's `after_sensitive`). */
  readonly afterSensitive: unknown;
  /** Attribute paths whose change forces the replacement, sorted (Terraform lists them in set-hash order). */
  readonly replacePaths: readonly AttributePath[];
  /** Terraform's reason for the action, e.g. `replace_because_cannot_update`. @default none given */
  readonly actionReason?: string;
  /**
   * The cdktf construct path of the resource (`dev/tier-web/dev-web-1/vm`), when the configuration
   * the plan was made from names it.
   * @default undefined: a resource no longer in the configuration, or no construct paths given
   */
  readonly constructPath?: string;
}

/** A plan, read: what would change and what changed outside Terraform. */
export interface TerraformPlan {
  /** Resources the plan creates, updates, replaces, deletes or forgets (no no-ops, no data reads). */
  readonly changes: readonly ResourceChange[];
  /** Resources that changed outside Terraform since the last apply (Terraform's `resource_drift`). */
  readonly drift: readonly ResourceChange[];
  /**
   * Managed resources the plan keeps as they are (no-op): what stays next to a change, e.g. the
   * firewall of a VM that is replaced, or the linked clones of a template that is deleted.
   */
  readonly unchanged: readonly ResourceChange[];
}

/** Counts of a plan, like Terraform's summary line. */
export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Resources destroyed and re-created (counted in add and destroy too). */
  readonly replace: number;
}

/** Options of {@link readPlan}. */
export interface ReadPlanOptions {
  /**
   * Construct path by resource address (see `constructPathsOf`), to name resources as the code
   * does. @default no construct paths
   */
  readonly constructPaths?: ReadonlyMap<string, string>;
  /** Where the JSON came from, for error messages. @default "terraform show -json" */
  readonly origin?: string;
}

const change = z.object({
  address: z.string().min(1),
  module_address: z.string().optional(),
  mode: z.enum(["managed", "data"]).default("managed"),
  type: z.string().min(1),
  name: z.string(),
  index: z.union([z.string(), z.number()]).optional(),
  action_reason: z.string().optional(),
  change: z.object({
    actions: z.array(z.enum(["no-op", "create", "read", "update", "delete", "forget"])).min(1),
    before: z.record(z.string(), z.unknown()).nullable().optional(),
    after: z.record(z.string(), z.unknown()).nullable().optional(),
    after_unknown: z.unknown().optional(),
    before_sensitive: z.unknown().optional(),
    after_sensitive: z.unknown().optional(),
    replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  }),
});
const planSchema = z.object({
  resource_changes: z.array(change).optional(),
  resource_drift: z.array(change).optional(),
});
type RawChange = z.infer<typeof change>;

/**
 * Reads the output of `terraform show -json <planfile>`. Throws, naming the first bad field, when
 * the document is not a plan in Terraform's JSON format.
 */
export function readPlan(json: unknown, options: ReadPlanOptions = {}): TerraformPlan {
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, "");
    throw new Error(
      `${options.origin ?? "terraform show -json"}: ${where || "(document)"}: ${issue.message} — not a Terraform plan in JSON format (terraform show -json <planfile>).`,
    );
  }
  const paths = options.constructPaths;
  const read = (c: RawChange) => toChange(c, paths);
  const all = (parsed.data.resource_changes ?? []).map(read);
  return {
    changes: all.filter((c) => c.action !== "no-op" && c.action !== "read"),
    drift: (parsed.data.resource_drift ?? []).map(read).filter((c) => c.action !== "no-op" && c.action !== "read"),
    unchanged: all.filter((c) => c.action === "no-op" && c.mode === "managed"),
  };
}

function toChange(c: RawChange, paths: ReadonlyMap<string, string> | undefined): ResourceChange {
  const base = c.module_address ? undefined : paths?.get(`${c.mode === "data" ? "data." : ""}${c.type}.${c.name}`);
  return {
    address: c.address,
    type: c.type,
    name: c.name,
    mode: c.mode,
    action: actionOf(c.change.actions),
    actions: c.change.actions,
    before: c.change.before ?? null,
    after: c.change.after ?? null,
    afterUnknown: c.change.after_unknown,
    beforeSensitive: c.change.before_sensitive,
    afterSensitive: c.change.after_sensitive,
    replacePaths: (c.change.replace_paths ?? []).map((p) => [...p]).sort(comparePaths),
    ...(c.action_reason ? { actionReason: c.action_reason } : {}),
    ...(base ? { constructPath: c.index === undefined ? base : `${base}[${JSON.stringify(c.index)}]` } : {}),
  };
}

/** The action of Terraform's action list: `["delete", "create"]` and `["create", "delete"]` are a replace. */
export function actionOf(actions: readonly string[]): PlanAction {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  for (const a of ["create", "delete", "forget", "update", "read"] as const) if (actions.includes(a)) return a;
  return "no-op";
}

/** Changes that delete a resource's object: deletes and replacements. */
export function destroys(plan: TerraformPlan): ResourceChange[] {
  return plan.changes.filter((c) => c.action === "delete" || c.action === "replace");
}

/** Changes that destroy and re-create a resource. */
export function replaces(plan: TerraformPlan): ResourceChange[] {
  return plan.changes.filter((c) => c.action === "replace");
}

/** Counts adds, changes, destroys and replacements (a forgotten resource counts in none: no object changes). */
export function countPlan(plan: TerraformPlan): PlanCounts {
  const n = (...actions: PlanAction[]) => plan.changes.filter((c) => actions.includes(c.action)).length;
  return { add: n("create", "replace"), change: n("update"), destroy: n("delete", "replace"), replace: n("replace") };
}

/** The one "has changes" rule: something would be (or was) added, changed or destroyed. */
export function hasChanges(counts: PlanCounts): boolean {
  return counts.add + counts.change + counts.destroy > 0;
}

/** One line, like Terraform's: `Plan: 3 to add, 1 to change, 0 to destroy (1 replaced).` or `No changes.` */
export function formatCounts(c: PlanCounts): string {
  if (!hasChanges(c)) return "No changes.";
  return `Plan: ${c.add} to add, ${c.change} to change, ${c.destroy} to destroy${c.replace ? ` (${c.replace} replaced)` : ""}.`;
}

/** How a change names its resource for people: the construct path, else the Terraform address. */
export function resourceLabel(c: ResourceChange): string {
  if (c.constructPath !== undefined) return c.constructPath;
  // A resource no longer in the configuration has no metadata; its cdktf logical id still spells
  // the construct path (ids joined by "_", then an 8-digit hash), which reads better than the hash.
  const logical = /^(.+)_[0-9A-F]{8}$/.exec(c.name);
  return logical ? `${logical[1].split("_").join("/")} (no longer in the configuration)` : c.address;
}

/** An attribute path as Terraform's CLI writes it: `clone.0.node_name`. */
export function pathText(p: AttributePath): string {
  return p.map(String).join(".");
}

function comparePaths(a: AttributePath, b: AttributePath): number {
  const x = pathText(a);
  const y = pathText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
