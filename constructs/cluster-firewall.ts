import { Construct } from "constructs";
import { VirtualEnvironmentClusterFirewall } from "../.gen/providers/proxmox/virtual-environment-cluster-firewall";
import { FirewallPolicy } from "./vm-firewall";
import { literalText } from "./literal-text";

/** Props of {@link ClusterFirewall}. */
export interface ClusterFirewallProps {
  /** Enable the cluster firewall. `false` is reported by rule PVE-FW-004. @default true */
  readonly enabled?: boolean;
  /** Inbound policy for the hosts. @default "DROP" */
  readonly inboundPolicy?: FirewallPolicy;
  /** Outbound policy for the hosts. @default "ACCEPT" */
  readonly outboundPolicy?: FirewallPolicy;
  /** Log rate limit, e.g. `"1/second"`. @default "1/second" with burst 5 */
  readonly logRate?: string;
  /** Burst of the log rate limit. @default 5 */
  readonly logBurst?: number;
  /** ebtables (layer-2 filtering, needed for MAC filters). @default true */
  readonly ebtables?: boolean;
}

/**
 * The datacenter-wide firewall switch: enabled, DROP in, rate-limited logging. PVE keeps its
 * management access (GUI on 8006, SSH) open from the `management` IP set / local network.
 */
export class ClusterFirewall extends Construct {
  /** The provider resource. */
  readonly resource: VirtualEnvironmentClusterFirewall;

  constructor(scope: Construct, id: string, props: ClusterFirewallProps = {}) {
    super(scope, id);
    const rate = props.logRate ?? "1/second";
    if (!/^\d+\/(second|minute|hour|day)$/.test(rate)) {
      throw new Error(`ClusterFirewall "${id}": logRate "${rate}" must look like 1/second, 10/minute, 100/hour or 1000/day.`);
    }
    this.resource = new VirtualEnvironmentClusterFirewall(
      this,
      "options",
      literalText({
        enabled: props.enabled ?? true,
        inputPolicy: props.inboundPolicy ?? "DROP",
        outputPolicy: props.outboundPolicy ?? "ACCEPT",
        ebtables: props.ebtables ?? true,
        logRatelimit: { enabled: true, rate, burst: props.logBurst ?? 5 },
      }),
    );
  }
}
