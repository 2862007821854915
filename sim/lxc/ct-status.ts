import { dhcpAddress, linkLocal } from "../qemu/guest-agent";
import { HOST_CPUS } from "../qemu/vm-status";
import { parseCtNet, parseMountPoint } from "./ct-options";
import { CtRecord, isCtRunning, isCtTemplate } from "./ct-store";

const GiB = 1024 ** 3;

/** Seconds the container has been running (0 when stopped). */
function uptimeSeconds(ct: CtRecord, now = Date.now()): number {
  return isCtRunning(ct) && ct.startedAt !== undefined ? Math.max(0, Math.floor((now - ct.startedAt) / 1000)) : 0;
}

/** Size of the root volume in bytes (`rootfs` `size=`, 4 GiB when unknown), as `vmstatus` reports `maxdisk`. */
function rootSize(ct: CtRecord): number {
  if (!ct.conf.rootfs) return 4 * GiB;
  try {
    const size = parseMountPoint("rootfs", ct.conf.rootfs).size;
    return size ? Number(size) : 4 * GiB;
  } catch {
    return 4 * GiB;
  }
}

/**
 * pve-container's `vmstatus` for one container (`src/PVE/LXC.pm`): `name` is the hostname or
 * `CT<vmid>`, `cpus` the cores or CPU limit, `maxmem`/`maxswap` from memory/swap, `template`,
 * `lock` and `tags` only when set; a running container has a pid, uptime and usage figures.
 */
export function ctStatus(ct: CtRecord): Record<string, unknown> {
  const conf = ct.conf;
  const running = isCtRunning(ct);
  const maxmem = Number(conf.memory || 512) * 1024 * 1024;
  const maxdisk = rootSize(ct);
  const d: Record<string, unknown> = {
    vmid: ct.vmid,
    type: "lxc",
    status: running ? "running" : "stopped",
    name: (conf.hostname || `CT${ct.vmid}`).replace(/\s/g, ""),
    cpus: Number(conf.cores || conf.cpulimit || 0) || HOST_CPUS,
    maxmem,
    maxswap: Number(conf.swap ?? 0) * 1024 * 1024,
    maxdisk,
    disk: running ? Math.floor(maxdisk * 0.12) : 0,
    mem: running ? Math.floor(maxmem * 0.09) : 0,
    swap: 0,
    uptime: uptimeSeconds(ct),
    cpu: running ? 0.003 : 0,
    netin: running ? 65_536 : 0,
    netout: running ? 32_768 : 0,
    diskread: 0,
    diskwrite: 0,
  };
  if (running && ct.pid !== undefined) d.pid = ct.pid;
  if (conf.tags !== undefined) d.tags = conf.tags;
  if (isCtTemplate(ct)) d.template = 1;
  if (conf.lock) d.lock = conf.lock;
  return d;
}

/** A `GET /cluster/resources` row of type `lxc`; `pool` when the container is in one. */
export function ctResourceRow(ct: CtRecord, pool: string | undefined): Record<string, unknown> & { id: string; type: string } {
  const s = ctStatus(ct);
  const row: Record<string, unknown> & { id: string; type: string } = {
    id: `lxc/${ct.vmid}`,
    type: "lxc",
    vmid: ct.vmid,
    node: ct.node,
    name: s.name,
    status: s.status,
    template: isCtTemplate(ct) ? 1 : 0,
    maxcpu: s.cpus,
    maxmem: s.maxmem,
    maxdisk: s.maxdisk,
    cpu: s.cpu,
    mem: s.mem,
    disk: s.disk,
    uptime: s.uptime,
    netin: s.netin,
    netout: s.netout,
    diskread: 0,
    diskwrite: 0,
  };
  if (ct.conf.tags !== undefined) row.tags = ct.conf.tags;
  if (ct.conf.lock) row.lock = ct.conf.lock;
  if (pool) row.pool = pool;
  return row;
}

/**
 * pve-container's `get_interfaces` (`ip --json a` in the container's network namespace): `lo`, then
 * each NIC by its `name=`, with the static `ip=` address or, for DHCP, a stable invented lease in
 * 10.0.0.0/8 (nothing ever connects to it), plus the link-local IPv6 address. `null` when stopped.
 */
export function ctInterfaces(ct: CtRecord): unknown[] | null {
  if (!isCtRunning(ct)) return null;
  const entry = (name: string, mac: string, addrs: Array<[string, string, number]>) => {
    const obj: Record<string, unknown> = { name, "hardware-address": mac, hwaddr: mac };
    for (const [family, address, prefix] of addrs) obj[family] = `${address}/${prefix}`;
    obj["ip-addresses"] = addrs.map(([family, address, prefix]) => ({ "ip-address-type": family, "ip-address": address, prefix }));
    return obj;
  };
  const out = [
    entry("lo", "00:00:00:00:00:00", [
      ["inet", "127.0.0.1", 8],
      ["inet6", "::1", 128],
    ]),
  ];
  const keys = Object.keys(ct.conf)
    .filter((k) => /^net\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const key of keys) {
    const net = parseCtNet(key, ct.conf[key]);
    if (net.link_down === "1" || !net.hwaddr) continue;
    const mac = net.hwaddr.toLowerCase();
    const addrs: Array<[string, string, number]> = [];
    if (net.ip && net.ip !== "dhcp" && net.ip !== "manual") {
      const [address, prefix] = net.ip.split("/");
      addrs.push(["inet", address, Number(prefix ?? 32)]);
    } else if (net.ip === "dhcp") {
      const lease = dhcpAddress(ct.vmid, mac);
      addrs.push(["inet", lease.address, lease.prefix]);
    }
    if (net.ip6 && !["dhcp", "auto", "manual"].includes(net.ip6)) {
      const [address, prefix] = net.ip6.split("/");
      addrs.push(["inet6", address, Number(prefix ?? 128)]);
    }
    addrs.push(["inet6", linkLocal(mac), 64]);
    out.push(entry(net.name ?? `eth${key.slice(3)}`, mac, addrs));
  }
  return out;
}
