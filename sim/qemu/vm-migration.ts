import type { SimContext } from "../context";
import { PveError } from "../pve-error";
import { findStorage } from "../storage/storage-config";
import { migrateVolume, parseVolumeId } from "../storage/volumes";
import { parseDrive, printDrive } from "./drive";
import { LOCK_TIMEOUT_MS, vmLockPath } from "./flock";
import { startJobTask } from "./task-job";
import { ownsVolume, vmVolumes } from "./vm-conf";
import { checkLock, findVm, isRunning, loadVm } from "./vm-store";

/** One migration of a VM between the simulated nodes (qemu-server's `migrate_vm` parameters). */
export interface VmMigration {
  readonly node: string;
  readonly vmid: number;
  readonly target: string;
  readonly online: boolean;
  readonly withLocalDisks: boolean;
  /** One target storage for every local disk (storage maps are not simulated). */
  readonly targetstorage?: string;
  /** Who the `qmigrate` task runs as. */
  readonly user: string;
}

/** The VM's disks on storages that are not shared (they move with the VM). */
export function localDisks(sim: SimContext, node: string, vmid: number): string[] {
  const vm = loadVm(sim.state, node, vmid);
  return vmVolumes(vm)
    .map(({ drive }) => drive.file)
    .filter((volid) => !findStorage(sim.state, parseVolumeId(volid).storeid)?.shared);
}

/** qemu-server's early checks of `migrate_vm`: lock, `--online` for a running VM, local disks. */
export function checkMigratable(sim: SimContext, m: VmMigration): void {
  const vm = loadVm(sim.state, m.node, m.vmid);
  checkLock(vm);
  if (isRunning(vm) && !m.online) throw new PveError(500, "can't migrate running VM without --online");
  const disks = localDisks(sim, m.node, m.vmid);
  if (disks.length && !m.withLocalDisks) throw new PveError(500, `can't migrate local disk '${disks[0]}': use --with-local-disks`);
}

/**
 * `PVE::QemuMigrate->migrate` in a `qmigrate` task: moves the config and the local disks to the
 * target node. The config carries `lock: migrate` while it runs. Returns the UPID.
 */
export function startMigrationTask(sim: SimContext, m: VmMigration): string {
  checkMigratable(sim, m);
  const { node, vmid, target } = m;
  return startJobTask(
    sim,
    { node, type: "qmigrate", id: String(vmid), user: m.user },
    {
      locks: [
        {
          path: vmLockPath(vmid),
          mode: "exclusive",
          timeoutMs: LOCK_TIMEOUT_MS.config,
          then: () => {
            checkMigratable(sim, m);
            loadVm(sim.state, node, vmid).conf.lock = "migrate";
          },
        },
      ],
      commit: () => {
        const vm = loadVm(sim.state, node, vmid);
        for (const { key, drive } of vmVolumes(vm)) {
          if (!ownsVolume(vmid, drive.file) && !/cloudinit/.test(drive.file)) continue;
          if (findStorage(sim.state, parseVolumeId(drive.file).storeid)?.shared) continue;
          const volid = migrateVolume(sim.state, node, drive.file, target, m.targetstorage);
          vm.conf[key] = /^unused\d+$/.test(key) ? volid : printDrive(key, { ...parseDrive(key, vm.conf[key]), file: volid });
        }
        vm.node = target;
        delete vm.conf.lock;
      },
      cleanup: (committed) => {
        const vm = findVm(sim.state, vmid);
        if (!committed && vm?.conf.lock === "migrate") delete vm.conf.lock;
      },
    },
  );
}

/**
 * What the HA stack does with a `migrate <sid> <node>` CRM command for a VM: nothing when the VM
 * already is there, else its LRM calls `migrate_vm` as `PVE::HA::Resources::PVEVM::migrate`
 * does — as root@pam, `online` when the VM runs, `with-local-disks=1`. Returns the UPID, if any.
 */
export function haMigrate(sim: SimContext, vmid: number, target: string): string | undefined {
  const vm = findVm(sim.state, vmid);
  if (!vm || vm.node === target) return undefined;
  return startMigrationTask(sim, { node: vm.node, vmid, target, online: isRunning(vm), withLocalDisks: true, user: "root@pam" });
}
