import { changedAttributes } from "../terraform/attribute-changes";
import { TerraformCli } from "../terraform/terraform-cli";
import { readPlan, ResourceChange } from "../terraform/terraform-plan";
import { CONTAINER_TYPE, VM_TYPE } from "./destroy-preflight";
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

/** Top-level attributes a change alters (known values that differ, and values known only after apply). */
function topLevelAttributes(c: ResourceChange): string[] {
  return [...new Set(changedAttributes(c).map((a) => String(a.path[0] ?? "(value)")))].sort();
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
  const plan = readPlan(await tf.showJson(o.planFile));
  const other = plan.changes.flatMap((c) => {
    const attrs =
      c.action === "update" && (c.type === VM_TYPE || c.type === CONTAINER_TYPE) ? topLevelAttributes(c).filter((a) => a !== "protection") : [`(${c.action})`];
    return attrs.length ? [`${c.address}: ${attrs.join(", ")}`] : [];
  });
  if (other.length) {
    throw new Error(
      [
        `destroy ${o.env} --unprotect: lifting protection would also change, so nothing was changed:`,
        ...other.map((l) => `  ${l}`),
        `Run \`proxmox-cdk up ${o.env}\` first, then destroy again.`,
      ].join("\n"),
    );
  }
  await tf.must(["apply", "-no-color", "-input=false", o.planFile]);
}
