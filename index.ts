/**
 * proxmox-cdk: hardened Proxmox VE constructs for CDK for Terraform (bpg/proxmox provider).
 * Everything a construct user imports comes from here (`proxmox-cdk`); the simulator is
 * `proxmox-cdk/sim` and the AI helper `proxmox-cdk/ai` (package.json `exports`), so importing the
 * root loads neither the simulator nor the optional `ollama` client.
 */
export * from "./constructs/backup-job";
export * from "./constructs/pbs-encryption";
export * from "./constructs/pbs-storage";
export * from "./constructs/cloud-init-user-data";
export * from "./constructs/cluster-firewall";
export * from "./constructs/connections";
export * from "./constructs/container-group";
export * from "./constructs/container-template";
export * from "./constructs/environment-network";
export * from "./constructs/firewall-alias";
export * from "./constructs/firewall-ipset";
export * from "./constructs/firewall-rule";
export * from "./constructs/ha-resource";
export * from "./constructs/hardened-container";
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
export * from "./constructs/windows-group";
export * from "./constructs/windows-requirements";
export * from "./constructs/windows-vm";

// The provider and the generated resources a construct user composes with directly.
export { ProxmoxProvider } from "./.gen/providers/proxmox/provider";
export type { ProxmoxProviderConfig } from "./.gen/providers/proxmox/provider";
export { DownloadFile } from "./.gen/providers/proxmox/download-file";
export type { DownloadFileConfig } from "./.gen/providers/proxmox/download-file";

// Synthesis.
export { TOKEN_TRACES_ENV, withFastSynth } from "./stacks/fast-synth";

// Environment specs (YAML) and the stacks built from them.
export * from "./envspec";
export { EnvironmentStack, STATE_BACKEND_ENV } from "./stacks/environment-stack";
export type { EnvironmentStackProps } from "./stacks/environment-stack";
export { addEnvironmentStacks, environmentFiles } from "./stacks/environment-app";
export type { EnvironmentAppOptions } from "./stacks/environment-app";

// The policy pack: PolicyPack, suppress, runPolicy/checkPolicy and the report formats.
export * from "./policy";
