/**
 * proxmox-cdk: hardened Proxmox VE constructs for CDK for Terraform (bpg/proxmox provider).
 * Everything a consumer imports comes from here.
 */
export * from "./constructs/backup-job";
export * from "./constructs/cloud-init-user-data";
export * from "./constructs/cluster-firewall";
export * from "./constructs/connections";
export * from "./constructs/environment-network";
export * from "./constructs/firewall-alias";
export * from "./constructs/firewall-ipset";
export * from "./constructs/firewall-rule";
export * from "./constructs/ha-resource";
export * from "./constructs/hardened-vm";
export * from "./constructs/iso-image";
export * from "./constructs/literal-text";
export * from "./constructs/node-ssh";
export * from "./constructs/peer";
export * from "./constructs/port";
export * from "./constructs/resource-pool";
export * from "./constructs/security-group";
export * from "./constructs/stage";
export * from "./constructs/terraform-access";
export * from "./constructs/terraform-privileges";
export * from "./constructs/vm-firewall";
export * from "./constructs/vm-group";
export * from "./constructs/vm-network";
export * from "./constructs/vm-template";
export * from "./constructs/windows-vm";
export { ProxmoxProvider } from "./.gen/providers/proxmox/provider";
export type { ProxmoxProviderConfig } from "./.gen/providers/proxmox/provider";
export { TOKEN_TRACES_ENV, withFastSynth } from "./stacks/fast-synth";
