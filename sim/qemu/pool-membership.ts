import type { SimState } from "../sim-state";

/** The shape of the pools family's slice, as far as VM membership goes. */
interface PoolsView {
  pools: Record<string, { vms: number[] }>;
}

/**
 * PVE's `add_vm_to_pool` for create and clone with `pool=`: adds the VM to the pool's members.
 * The pools family (sim/routes/pools.ts) owns the slice and exports no adder, so this writes the
 * member list it reads; the pool's existence was checked when the request was accepted.
 */
export function addVmToPool(state: SimState, poolid: string, vmid: number): void {
  const pool = state.slice<PoolsView>("pools", () => ({ pools: {} })).pools[poolid];
  if (pool && !pool.vms.includes(vmid)) pool.vms.push(vmid);
}
