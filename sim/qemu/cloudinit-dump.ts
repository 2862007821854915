import { createHash } from "crypto";
import { optionFormat, parseProps } from "./config-schema";
import { MASKED_PASSWORD, uriUnescape } from "./cloudinit-values";
import type { VmRecord } from "./vm-store";

/**
 * The cloud-init data PVE generates for a VM (NoCloud format), as `GET …/cloudinit/dump`
 * returns it, and the option snapshot `GET/PUT …/cloudinit` compare against.
 */

/** DNS of the simulated hosts' `/etc/resolv.conf`, used when the VM sets none. */
const HOST_DNS = { search: "", nameservers: ["192.0.2.53"] };

/** Options whose change needs the cloud-init drive regenerated. */
export function cloudinitOptions(conf: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(conf)) {
    if (/^(cicustom|cipassword|citype|ciupgrade|ciuser|nameserver|searchdomain|sshkeys|name|ipconfig\d+|net\d+)$/.test(k)) out[k] = v;
  }
  return out;
}

function hostnameFqdn(vm: VmRecord): [string, string] {
  const name = vm.conf.name ?? `VM${vm.vmid}`;
  if (name.includes(".")) return [name.replace(/\..*$/, ""), name];
  return [name, vm.conf.searchdomain ? `${name}.${vm.conf.searchdomain}` : name];
}

/** PVE's `cloudinit_userdata` (password masked). */
export function userData(vm: VmRecord): string {
  const [hostname, fqdn] = hostnameFqdn(vm);
  const c = vm.conf;
  let out = `#cloud-config\nhostname: ${hostname}\nmanage_etc_hosts: true\nfqdn: ${fqdn}\n`;
  if (c.ciuser !== undefined) out += `user: ${c.ciuser}\n`;
  if (c.ciuser === "root") out += "disable_root: False\n";
  if (c.cipassword !== undefined) out += `password: ${MASKED_PASSWORD}\n`;
  if (c.sshkeys !== undefined) {
    out += "ssh_authorized_keys:\n";
    for (const key of uriUnescape(c.sshkeys)
      .split("\n")
      .filter((k) => /\S/.test(k)))
      out += `  - ${key}\n`;
  }
  out += "chpasswd:\n  expire: False\n";
  if (c.ciuser !== "root") out += "users:\n  - default\n";
  if (c.ciupgrade === undefined || c.ciupgrade === "1") out += "package_upgrade: true\n";
  return out;
}

function netmask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 0xff).join(".");
}

/** PVE's `nocloud_network` (version 1). */
export function networkData(vm: VmRecord): string {
  let out = "version: 1\nconfig:\n";
  const i = "    ";
  const nets = Object.keys(vm.conf)
    .filter((k) => /^net\d+$/.test(k))
    .sort();
  for (const iface of nets) {
    const id = iface.slice(3);
    const ipconfig = vm.conf[`ipconfig${id}`];
    if (!ipconfig) continue;
    const net = parseProps(optionFormat(iface), vm.conf[iface]);
    const ipc = parseProps(optionFormat(`ipconfig${id}`), ipconfig);
    out += `${i}- type: physical\n${i}  name: eth${id}\n${i}  mac_address: '${(net.macaddr ?? "").toLowerCase()}'\n${i}  subnets:\n`;
    const j = `${i}  `;
    if (ipc.ip === "dhcp") out += `${j}- type: dhcp4\n`;
    else if (ipc.ip) {
      const [addr, prefix] = ipc.ip.split("/");
      out += `${j}- type: static\n${j}  address: '${addr}'\n${j}  netmask: '${netmask(Number(prefix ?? 32))}'\n`;
      if (ipc.gw) out += `${j}  gateway: '${ipc.gw}'\n`;
    }
    if (ipc.ip6 === "dhcp") out += `${j}- type: dhcp6\n`;
    else if (ipc.ip6 === "auto") out += `${j}- type: ipv6_slaac\n`;
    else if (ipc.ip6) {
      out += `${j}- type: static6\n${j}  address: '${ipc.ip6}'\n`;
      if (ipc.gw6) out += `${j}  gateway: '${ipc.gw6}'\n`;
    }
  }
  const search = (vm.conf.searchdomain ?? HOST_DNS.search).split(/\s+/).filter((s) => s !== "");
  const servers = vm.conf.nameserver !== undefined ? vm.conf.nameserver.split(/\s+/).filter((s) => s !== "") : HOST_DNS.nameservers;
  out += `${i}- type: nameserver\n`;
  if (servers.length) out += `${i}  address:\n${servers.map((s) => `${i}  - '${s}'\n`).join("")}`;
  if (search.length) out += `${i}  search:\n${search.map((s) => `${i}  - '${s}'\n`).join("")}`;
  return out;
}

/** PVE's NoCloud meta-data: the instance id is a digest of user and network data. */
export function metaData(vm: VmRecord): string {
  const id = createHash("sha1").update(userData(vm)).update(networkData(vm)).digest("hex");
  return `instance-id: ${id}\n`;
}
