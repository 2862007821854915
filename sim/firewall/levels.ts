/**
 * Path templates of the firewall at each level PVE has one: `cluster.fw`, `host.fw` and
 * `<vmid>.fw` of VMs and containers.
 */
export const CLUSTER_FIREWALL = "/cluster/firewall";
export const NODE_FIREWALL = "/nodes/{node}/firewall";
export const VM_FIREWALL = "/nodes/{node}/qemu/{vmid}/firewall";
export const CT_FIREWALL = "/nodes/{node}/lxc/{vmid}/firewall";

/** Levels with options and rules: all of them. */
export const FIREWALL_LEVELS: readonly string[] = [CLUSTER_FIREWALL, NODE_FIREWALL, VM_FIREWALL, CT_FIREWALL];

/** Levels with aliases and IP sets: cluster and guests (a node has none). */
export const OBJECT_FIREWALL_LEVELS: readonly string[] = [CLUSTER_FIREWALL, VM_FIREWALL, CT_FIREWALL];
