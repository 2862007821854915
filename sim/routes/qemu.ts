import { registerClusterResources } from "../cluster-resources";
import type { SimContext } from "../context";
import { vmResourceRow } from "../qemu/vm-status";
import { allVms } from "../qemu/vm-store";
import type { Route } from "../route";
import type { SimState } from "../sim-state";
import { poolOfVm } from "./pools";
import { qemuCloneRoutes } from "./qemu-clone";
import { qemuConfigRoutes } from "./qemu-config";
import { qemuCreateRoutes } from "./qemu-create";
import { qemuDestroyRoutes } from "./qemu-destroy";
import { qemuDiskRoutes } from "./qemu-disks";
import { qemuGuestRoutes } from "./qemu-guest";
import { qemuMigrateRoutes } from "./qemu-migrate";
import { qemuStatusRoutes } from "./qemu-status";

/** VM ids in use by QEMU VMs (also those being created or cloned, whose config already exists). */
export function usedVmIds(state: SimState): Set<number> {
  return new Set(allVms(state).map((vm) => vm.vmid));
}

// Every VM is a `qemu` row of /cluster/resources (bpg/proxmox finds a VM's node there).
registerClusterResources((sim: SimContext) => allVms(sim.state).map((vm) => vmResourceRow(vm, poolOfVm(sim.state, vm.vmid))));

/** The QEMU family: create, config, power, clone/template, disks, guest agent, cloud-init, migrate, destroy. */
export const routes: Route[] = [
  ...qemuCreateRoutes,
  ...qemuConfigRoutes,
  ...qemuStatusRoutes,
  ...qemuCloneRoutes,
  ...qemuDiskRoutes,
  ...qemuGuestRoutes,
  ...qemuMigrateRoutes,
  ...qemuDestroyRoutes,
];
