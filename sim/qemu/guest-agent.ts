import { createHash } from "crypto";
import { PveError } from "../pve-error";
import { optionFormat, parseProps } from "./config-schema";
import { agentEnabled } from "./vm-status";
import { isRunning, VmRecord } from "./vm-store";

/**
 * The simulated QEMU guest agent. Nothing is contacted: answers are derived from the VM's config —
 * each NIC reports the cloud-init address of its `ipconfigN` (`ip=10.0.0.5/24`), or, for DHCP or
 * no cloud-init, a stable address in 10.0.0.0/8 derived from the VM id and MAC.
 */

/** PVE's `assert_agent_available`: configured, VM running, agent enabled — else PVE's error (HTTP 500). */
export function assertAgentAvailable(vm: VmRecord): void {
  if (vm.conf.agent === undefined) throw new PveError(500, "No QEMU guest agent configured");
  if (!isRunning(vm)) throw new PveError(500, `VM ${vm.vmid} is not running`);
  if (!agentEnabled(vm)) throw new PveError(500, "QEMU guest agent is not running");
}

function hashBytes(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The address a DHCP server would have leased to this NIC: 10.a.b.c/24, never .0, .1 or .255. */
export function dhcpAddress(vmid: number, mac: string): { address: string; prefix: number } {
  const h = hashBytes(`${vmid}/${mac.toLowerCase()}`);
  return { address: `10.${h[0]}.${h[1]}.${2 + (h[2] % 252)}`, prefix: 24 };
}

/** The IPv6 link-local address (EUI-64) of a MAC. */
export function linkLocal(mac: string): string {
  const b = mac.split(":").map((x) => parseInt(x, 16));
  const eui = [b[0] ^ 2, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]];
  const groups = [0, 2, 4, 6].map((i) => ((eui[i] << 8) | eui[i + 1]).toString(16));
  return `fe80::${groups.join(":")}`;
}

interface AgentAddress {
  "ip-address": string;
  "ip-address-type": "ipv4" | "ipv6";
  prefix: number;
}

function statistics(seed: string): Record<string, number> {
  const h = hashBytes(seed);
  return {
    "rx-bytes": h.readUInt16BE(0) * 64,
    "rx-dropped": 0,
    "rx-errs": 0,
    "rx-packets": h.readUInt16BE(2),
    "tx-bytes": h.readUInt16BE(4) * 32,
    "tx-dropped": 0,
    "tx-errs": 0,
    "tx-packets": h.readUInt16BE(6),
  };
}

/** `guest-network-get-interfaces`: `lo`, then `eth<N>` for every `netN`, as the agent lists them. */
export function networkInterfaces(vm: VmRecord): { result: unknown[] } {
  const result: unknown[] = [
    {
      name: "lo",
      "hardware-address": "00:00:00:00:00:00",
      "ip-addresses": [
        { "ip-address": "127.0.0.1", "ip-address-type": "ipv4", prefix: 8 },
        { "ip-address": "::1", "ip-address-type": "ipv6", prefix: 128 },
      ],
      statistics: statistics(`lo/${vm.vmid}`),
    },
  ];
  const nets = Object.keys(vm.conf)
    .filter((k) => /^net\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const key of nets) {
    const id = key.slice(3);
    const net = parseProps(optionFormat(key), vm.conf[key]);
    if (net.link_down === "1" || !net.macaddr) continue;
    const mac = net.macaddr.toLowerCase();
    const ipc = vm.conf[`ipconfig${id}`] ? parseProps(optionFormat(`ipconfig${id}`), vm.conf[`ipconfig${id}`]) : {};
    const addresses: AgentAddress[] = [];
    if (ipc.ip && ipc.ip !== "dhcp") {
      const [address, prefix] = ipc.ip.split("/");
      addresses.push({ "ip-address": address, "ip-address-type": "ipv4", prefix: Number(prefix ?? 32) });
    } else {
      const lease = dhcpAddress(vm.vmid, mac);
      addresses.push({ "ip-address": lease.address, "ip-address-type": "ipv4", prefix: lease.prefix });
    }
    if (ipc.ip6 && ipc.ip6 !== "dhcp" && ipc.ip6 !== "auto") {
      const [address, prefix] = ipc.ip6.split("/");
      addresses.push({ "ip-address": address, "ip-address-type": "ipv6", prefix: Number(prefix ?? 128) });
    }
    addresses.push({ "ip-address": linkLocal(mac), "ip-address-type": "ipv6", prefix: 64 });
    result.push({ name: `eth${id}`, "hardware-address": mac, "ip-addresses": addresses, statistics: statistics(`${vm.vmid}/${mac}`) });
  }
  return { result };
}

/** `guest-get-osinfo`, by the config's `ostype`. */
export function osInfo(vm: VmRecord): { result: Record<string, string> } {
  if ((vm.conf.ostype ?? "").startsWith("win")) {
    return {
      result: {
        id: "mswindows",
        name: "Microsoft Windows",
        "pretty-name": "Windows Server 2022 Standard",
        "version-id": "2022",
        version: "Microsoft Windows Server 2022",
        "kernel-release": "20348",
        "kernel-version": "10.0",
        machine: "x86_64",
        "variant-id": "server",
        variant: "server",
      },
    };
  }
  return {
    result: {
      id: "debian",
      name: "Debian GNU/Linux",
      "pretty-name": "Debian GNU/Linux 13 (trixie)",
      "version-id": "13",
      version: "13 (trixie)",
      "kernel-release": "6.12.48+deb13-cloud-amd64",
      "kernel-version": "#1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20)",
      machine: "x86_64",
    },
  };
}
