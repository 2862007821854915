import { actionOf, effectiveChanges, PlanJson, ResourceChangeJson } from "../review/plan-json";
import { TerraformCli } from "../terraform/terraform-cli";
import { VM_TYPE } from "./destroy-preflight";
import { synthEnvironment } from "./synth-environment";

/** Options of {@link liftProtection}. */
export interface LiftProtectionOptions {
  readonly root: string;
  readonly env: string;
  /** The protected VMs (Terraform addresses). */
  readonly addresses: readonly string[];
  /** Plan file to write, relative to the stack's working directory. */
  readonly planFile: string;
  readonly log: (line: string) => void;
}

/** Top-level attributes a change alters (known after-values that differ, and values known only after apply). */
function changedAttributes(c: ResourceChangeJson): string[] {
  const before = c.change.before ?? {};
  const after = c.change.after ?? {};
  const unknown = ((c.change as { after_unknown?: Record<string, unknown> }).after_unknown ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => (k in after ? JSON.stringify(before[k]) !== JSON.stringify(after[k]) : unknown[k] === true)).sort();
}

/**
 * The documented first step of `destroy --unprotect`: synthesises the environment with
 * `protection = false` on every VM, plans only the protected VMs, and applies that plan — refusing
 * when it would change anything but `protection` (then the environment differs from its spec:
 * `up` first). PVE refuses to delete a protected VM (`check_protection` in `destroy_vm`), and the
 * provider would stop it before finding out.
 */
export async function liftProtection(tf: TerraformCli, o: LiftProtectionOptions): Promise<void> {
  o.log(`Lifting protection of ${o.addresses.length} VM(s)…`);
  synthEnvironment(o.root, o.env, { unprotect: true });
  await tf.plan(["-out", o.planFile, ...o.addresses.map((a) => `-target=${a}`)]);
  const json = (await tf.showJson(o.planFile)) as PlanJson;
  const other = effectiveChanges(json).flatMap((c) => {
    const attrs = actionOf(c) === "update" && c.type === VM_TYPE ? changedAttributes(c).filter((a) => a !== "protection") : [`(${actionOf(c)})`];
    return attrs.length ? [`${c.address}: ${attrs.join(", ")}`] : [];
  });
  if (other.length) {
    throw new Error(
      [`destroy ${o.env} --unprotect: lifting protection would also change, so nothing was changed:`, ...other.map((l) => `  ${l}`), `Run \`proxmox-cdk up ${o.env}\` first, then destroy again.`].join("\n"),
    );
  }
  await tf.must(["apply", "-no-color", "-input=false", o.planFile]);
}
