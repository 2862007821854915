import { LiveGuest } from "./live-snapshot";
import { defined, netKeys, parseProperties, pveBool, pveInt, pveTags, pveText, storageOf } from "./pve-properties";

/**
 * A container's configuration (`GET /nodes/{node}/lxc/{vmid}/config`) as the attributes of a
 * `proxmox_virtual_environment_container` that bpg/proxmox 0.111.1 would hold after reading it
 * (proxmoxtf/resource/container/container.go, `containerRead`), so container rules judge it
 * unchanged. PVE's defaults are written where the provider reads a flag (unprivileged, onboot,
 * protection, template: absent means 0 in pve-container).
 */
export function lxcToContainer(guest: LiveGuest): Record<string, unknown> {
  const c = guest.config;
  const rootfs = parseProperties(c.rootfs, "volume");
  const features = c.features === undefined ? undefined : parseProperties(c.features);
  return defined({
    node_name: guest.node,
    vm_id: guest.vmid,
    description: pveText(c.description),
    tags: pveTags(c.tags),
    template: pveBool(c.template) ?? false,
    unprivileged: pveBool(c.unprivileged) ?? false,
    start_on_boot: pveBool(c.onboot) ?? false,
    protection: pveBool(c.protection) ?? false,
    pool_id: guest.pool,
    console:
      c.console === undefined && c.tty === undefined && c.cmode === undefined
        ? undefined
        : defined({ enabled: pveBool(c.console), type: pveText(c.cmode), tty_count: pveInt(c.tty) }),
    cpu: defined({ cores: pveInt(c.cores), units: pveInt(c.cpuunits) }),
    memory: defined({ dedicated: pveInt(c.memory), swap: pveInt(c.swap) }),
    disk: rootfs.volume ? defined({ datastore_id: storageOf(rootfs.volume) }) : undefined,
    features: features
      ? defined({
          nesting: pveBool(features.nesting),
          keyctl: pveBool(features.keyctl),
          fuse: pveBool(features.fuse),
          mount: features.mount?.split(";").filter((m) => m !== ""),
        })
      : undefined,
    operating_system: c.ostype === undefined ? undefined : { type: pveText(c.ostype) },
    initialization: defined({ hostname: pveText(c.hostname) }),
    network_interface: interfaces(c),
  });
}

/** `net0`, `net1`, … in index order: `name=eth0,bridge=vmbr0,firewall=1,tag=10,hwaddr=…`. */
function interfaces(c: Readonly<Record<string, unknown>>): Record<string, unknown>[] | undefined {
  const keys = netKeys(c);
  if (keys.length === 0) return undefined;
  return keys.map((key) => {
    const n = parseProperties(c[key]);
    return defined({
      name: n.name,
      bridge: n.bridge,
      // pve-container's net format: firewall defaults to off.
      firewall: pveBool(n.firewall) ?? false,
      vlan_id: pveInt(n.tag),
      mac_address: n.hwaddr,
      enabled: !(pveBool(n.link_down) ?? false),
    });
  });
}
