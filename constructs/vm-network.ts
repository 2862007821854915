import { IResolvable, Token } from "cdktf";
import type { VirtualEnvironmentVmNetworkDevice } from "../.gen/providers/proxmox/virtual-environment-vm";

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
