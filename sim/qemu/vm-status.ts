import { optionFormat, parseProps } from "./config-schema";
import { bootDiskSize, memoryMiB } from "./vm-conf";
import { isRunning, isTemplate, VmRecord } from "./vm-store";

/** CPUs of every simulated node (caps a VM's reported `cpus`, as PVE does; a container without cores or limit reports them). */
export const HOST_CPUS = 16;

/** QEMU version and machine a simulated VM runs with (PVE 9.1 ships QEMU 10.1). */
export const QEMU_VERSION = "10.1.2";
const RUNNING_MACHINE = "pc-i440fx-10.1+pve0";

/** Whether the config enables the guest agent (`agent: 1` or `agent: enabled=1,…`). */
export function agentEnabled(vm: VmRecord): boolean {
  if (vm.conf.agent === undefined) return false;
  try {
    return parseProps(optionFormat("agent"), vm.conf.agent).enabled === "1";
  } catch {
    return false;
  }
}

/** Seconds the VM has been running (0 when stopped). */
export function uptimeSeconds(vm: VmRecord, now = Date.now()): number {
  return isRunning(vm) && vm.startedAt !== undefined ? Math.max(0, Math.floor((now - vm.startedAt) / 1000)) : 0;
}

/**
 * PVE's `vmstatus` for one VM (what `GET /nodes/{node}/qemu` lists): integers as numbers, flags
 * (`template`, `serial`) present only when set, `lock` and `tags` only when the config has them.
 */
export function vmListEntry(vm: VmRecord): Record<string, unknown> {
  const conf = vm.conf;
  const running = isRunning(vm);
  let cpus = Number(conf.sockets ?? 1) * Number(conf.cores ?? 1);
  if (cpus > HOST_CPUS) cpus = HOST_CPUS;
  if (conf.vcpus) cpus = Number(conf.vcpus);
  const maxmem = memoryMiB(conf) * 1024 * 1024;
  const d: Record<string, unknown> = {
    vmid: vm.vmid,
    status: running ? "running" : "stopped",
    name: conf.name || `VM ${vm.vmid}`,
    cpus,
    maxmem,
    maxdisk: bootDiskSize(vm) ?? 0,
    disk: 0,
    uptime: uptimeSeconds(vm),
    cpu: running ? 0.012 : 0,
    mem: running ? Math.floor(maxmem * 0.38) : 0,
    memhost: running ? Math.floor(maxmem * 0.41) : 0,
    netin: running ? 1_048_576 : 0,
    netout: running ? 524_288 : 0,
  };
  if (running && vm.pid !== undefined) d.pid = vm.pid;
  if (conf.balloon && conf.balloon !== "0") {
    d.balloon_min = Number(conf.balloon) * 1024 * 1024;
    d.shares = Number(conf.shares ?? 1000);
  }
  if (isTemplate(vm)) d.template = 1;
  if (Object.keys(conf).some((k) => /^serial\d+$/.test(k))) d.serial = 1;
  if (conf.lock) d.lock = conf.lock;
  if (conf.tags !== undefined) d.tags = conf.tags;
  return d;
}

/** `GET /nodes/{node}/qemu/{vmid}/status/current`: the list entry plus QMP details, HA and agent flags. */
export function vmCurrentStatus(vm: VmRecord): Record<string, unknown> {
  const d = vmListEntry(vm);
  const running = isRunning(vm);
  d.qmpstatus = vm.run === "paused" ? "paused" : running ? "running" : "stopped";
  if (running) {
    d["running-machine"] = vm.conf.machine?.split(",")[0] || RUNNING_MACHINE;
    d["running-qemu"] = QEMU_VERSION;
    d["proxmox-support"] = {};
    d.diskread = 0;
    d.diskwrite = 0;
    d.balloon = d.maxmem;
    d.freemem = Number(d.maxmem) - Number(d.mem);
  }
  d.ha = { managed: 0 };
  if (agentEnabled(vm)) d.agent = 1;
  if (vm.conf.vga) {
    const vga = parseProps(optionFormat("vga"), vm.conf.vga);
    if ((vga.type ?? "").startsWith("qxl") || (vga.type ?? "").startsWith("virtio")) d.spice = 1;
    if (vga.clipboard !== undefined) d.clipboard = vga.clipboard;
  }
  return d;
}

/** A `GET /cluster/resources` row of type `qemu`; `pool` when the VM is in one. */
export function vmResourceRow(vm: VmRecord, pool: string | undefined): Record<string, unknown> & { id: string; type: string } {
  const s = vmListEntry(vm);
  const row: Record<string, unknown> & { id: string; type: string } = {
    id: `qemu/${vm.vmid}`,
    type: "qemu",
    vmid: vm.vmid,
    node: vm.node,
    name: s.name,
    status: s.status,
    template: isTemplate(vm) ? 1 : 0,
    maxcpu: s.cpus,
    maxmem: s.maxmem,
    maxdisk: s.maxdisk,
    cpu: s.cpu,
    mem: s.mem,
    disk: 0,
    uptime: s.uptime,
    netin: s.netin,
    netout: s.netout,
    diskread: 0,
    diskwrite: 0,
  };
  if (vm.conf.tags !== undefined) row.tags = vm.conf.tags;
  if (vm.conf.lock) row.lock = vm.conf.lock;
  if (pool) row.pool = pool;
  return row;
}
