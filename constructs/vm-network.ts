import { IResolvable, Token } from "cdktf";
import type { VirtualEnvironmentVmNetworkDevice } from "../.gen/providers/proxmox/virtual-environment-vm";
import { checkIntRange } from "./input-checks";

/** One virtual NIC. */
export interface VmNicProps {
  /** Linux bridge or SDN vnet the NIC attaches to. */
  readonly bridge: string;
  /** 802.1Q VLAN tag on the bridge; leave unset on an SDN vnet (the vnet carries the tag). @default none */
  readonly vlanId?: number;
  /** PVE firewall on this NIC (`firewall=1`). Turning it off is reported by the policy pack. @default true */
  readonly firewall?: boolean;
  /** NIC model. @default "virtio" */
  readonly model?: string;
}

// One shared null token: cdktf captures a stack trace for every token it creates, and a NIC needs
// six nulls, so a fresh token per field was a visible share of synthesising large environments.
let sharedNull: { text: string; num: number; value: IResolvable } | undefined;
function nulls(): { text: string; num: number; value: IResolvable } {
  if (!sharedNull) {
    const value = Token.nullValue();
    sharedNull = { text: Token.asString(value), num: Token.asNumber(value), value };
  }
  return sharedNull;
}
const nullString = () => nulls().text;
const nullNumber = () => nulls().num;
const nullBoolean = () => nulls().value;

/** NICs a VM may have besides its first (net1..net8; PVE allows net0..net31). */
export const MAX_EXTRA_NICS = 8;

/** Throws unless the NIC names a bridge or vnet (an interface name) and a VLAN tag in 1..4094. */
export function checkNic(owner: string, field: string, nic: VmNicProps): void {
  if (!Token.isUnresolved(nic.bridge) && !/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(nic.bridge)) {
    throw new Error(`${owner}: ${field}.bridge "${nic.bridge}" is not a bridge or vnet name — use an interface name like vmbr1 (at most 15 characters).`);
  }
  if (nic.vlanId !== undefined) checkIntRange(owner, `${field}.vlanId`, nic.vlanId, 1, 4094);
}

/**
 * Renders a NIC for proxmox_virtual_environment_vm. `network_device` is a list-of-objects
 * attribute, so Terraform needs every field of the object: unset ones are sent as null.
 */
export function renderNic(nic: VmNicProps): VirtualEnvironmentVmNetworkDevice {
  return {
    bridge: nic.bridge,
    // Deprecated in bpg/proxmox 0.111.1 (a warning per NIC); null takes the provider's default, true.
    enabled: nullBoolean(),
    disconnected: false,
    firewall: nic.firewall ?? true,
    model: nic.model ?? "virtio",
    vlanId: nic.vlanId ?? nullNumber(),
    macAddress: nullString(),
    mtu: nullNumber(),
    queues: nullNumber(),
    rateLimit: nullNumber(),
    trunks: nullString(),
  };
}
