import { App, TerraformStack, Testing } from "cdktf";
import { ProxmoxProvider } from "../../../.gen/providers/proxmox/provider";
import { VmGroup } from "../../../constructs/vm-group";
import { VmTemplate } from "../../../constructs/vm-template";
import { RunningSimulator } from "../../../sim/index";
import { peakRunningTasks } from "../../../sim/tasks";
import { TerraformWorkdir, terraformWorkdir } from "../harness/terraform-workdir";
import { ImageSource } from "./environment";

/** Template VM id of the clone stacks. */
export const TEMPLATE_ID = 9000;
/** VM id of the first clone. */
export const FIRST_CLONE_ID = 301;
/** The task error of a clone that waited more than PVE's 10 s for local-lvm's storage lock. */
export const STORAGE_LOCK_TIMEOUT = "clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout";

/** Options of {@link cloneGroupStack}. */
export interface CloneGroupOptions {
  readonly image: ImageSource;
  readonly sshKey: string;
  readonly count: number;
  /** VmGroup's cloneConcurrency; undefined keeps the construct's default. */
  readonly cloneConcurrency?: number;
}

/**
 * A template and a VmGroup of `count` full clones of it on one node and one LVM-thin storage, with
 * VmGroup's defaults (DHCP, 2 cores, 2 GiB, 20 GiB) except `cloneConcurrency` when given.
 */
export function cloneGroupStack(opts: CloneGroupOptions): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "clones");
  new ProxmoxProvider(stack, "proxmox", {});
  const template = new VmTemplate(stack, "template", {
    node: "pve1",
    name: "debian-13",
    vmId: TEMPLATE_ID,
    image: { url: opts.image.url, checksum: opts.image.sha256, checksumAlgorithm: "sha256", fileName: "debian-13.qcow2" },
  });
  new VmGroup(stack, "workers", {
    count: opts.count,
    namePrefix: "worker",
    nodes: ["pve1"],
    template,
    firstVmId: FIRST_CLONE_ID,
    user: { sshKeys: [opts.sshKey] },
    ...(opts.cloneConcurrency !== undefined ? { cloneConcurrency: opts.cloneConcurrency } : {}),
  });
  return stack;
}

/** What one apply of a clone stack did. */
export interface CloneRun {
  /** terraform apply's exit code. */
  readonly exitCode: number;
  /** Wall time of the apply in seconds. */
  readonly seconds: number;
  /** Clones in the Terraform state after the apply. */
  readonly created: number;
  /** Clones terraform reported as failed (after the provider's retries). */
  readonly failed: number;
  /** Of those, the ones whose error is the storage lock timeout. */
  readonly failedOnLock: number;
  /** qmclone tasks the simulator ran, by outcome ("OK", "lock timeout", other exit statuses). */
  readonly cloneTasks: Record<string, number>;
  /** The most clone tasks the simulator ran at the same time. */
  readonly peakClones: number;
  /** The workdir, still holding the state (destroy it, then clean it up). */
  readonly workdir: TerraformWorkdir;
}

/** Applies a clone stack against `sim` once and reports what happened (whatever terraform's exit code). */
export async function applyCloneGroup(sim: RunningSimulator, opts: CloneGroupOptions): Promise<CloneRun> {
  const workdir = await terraformWorkdir(cloneGroupStack(opts), { sim, timeoutMs: 900_000 });
  const started = Date.now();
  const apply = await workdir.run("apply", "-auto-approve", "-input=false", "-no-color");
  const seconds = (Date.now() - started) / 1000;
  // One error block per failed resource: "Error: …", "with <address>,", then the message.
  const blocks = apply.output
    .replace(/[│╷╵]/g, " ")
    .split(/\n\s*Error: /)
    .slice(1)
    .map((b) => b.replace(/\s+/g, " "));
  const failedClones = blocks.filter((b) => /with proxmox_virtual_environment_vm\.workers_/.test(b));
  const otherErrors = blocks.filter((b) => !failedClones.includes(b));
  if (otherErrors.length) throw new Error(`the clone apply failed for another reason than a clone:\n${otherErrors.join("\n")}`);
  const created = (await workdir.stateList()).filter((a) => /^proxmox_virtual_environment_vm\.workers_/.test(a)).length;
  const tasks = (sim.state.toJSON().tasks as { tasks: Array<{ type: string; exitstatus?: string }> }).tasks;
  const cloneTasks: Record<string, number> = {};
  for (const t of tasks.filter((t) => t.type === "qmclone")) {
    const status = t.exitstatus === undefined ? "running" : t.exitstatus === "OK" ? "OK" : t.exitstatus.includes("got timeout") ? "lock timeout" : t.exitstatus;
    cloneTasks[status] = (cloneTasks[status] ?? 0) + 1;
  }
  return {
    exitCode: apply.code,
    seconds,
    created,
    failed: failedClones.length,
    failedOnLock: failedClones.filter((b) => b.includes(STORAGE_LOCK_TIMEOUT)).length,
    cloneTasks,
    peakClones: peakRunningTasks(sim.state, "qmclone"),
    workdir,
  };
}
