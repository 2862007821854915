import { TerraformStack, TerraformVariable } from "cdktf";
import { VirtualEnvironmentContainer, VirtualEnvironmentContainerConfig } from "../../../.gen/providers/proxmox/virtual-environment-container";
import { VirtualEnvironmentFirewallOptions } from "../../../.gen/providers/proxmox/virtual-environment-firewall-options";
import { HardenedContainer, HardenedContainerProps } from "../../../constructs/hardened-container";
import { debianContainerTemplate } from "../../constructs/fixtures";
import { RuleCase, SSH_KEY } from "../policy-fixtures";

const templates = new WeakMap<TerraformStack, ReturnType<typeof debianContainerTemplate>>();

/** A HardenedContainer with the construct's defaults, plus `props`. */
function hardenedCt(stack: TerraformStack, id: string, props: Partial<HardenedContainerProps> = {}): HardenedContainer {
  let template = templates.get(stack);
  if (!template) templates.set(stack, (template = debianContainerTemplate(stack)));
  return new HardenedContainer(stack, id, { node: "pve1", name: id, template, user: { sshKeys: [SSH_KEY] }, ipv4: { address: "10.0.0.40/24" }, ...props });
}

/** A raw provider container as a user might write it: unprivileged, firewalled NIC, keys, firewall options; `config` overrides any of it. */
function rawCt(stack: TerraformStack, id: string, config: Partial<VirtualEnvironmentContainerConfig> = {}, firewall = true): VirtualEnvironmentContainer {
  const ct = new VirtualEnvironmentContainer(stack, id, {
    nodeName: "pve1",
    vmId: 300,
    tags: ["dev"],
    unprivileged: true,
    operatingSystem: { templateFileId: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", type: "debian" },
    networkInterface: [{ name: "eth0", firewall: true }],
    initialization: { hostname: id, userAccount: { keys: [SSH_KEY] } },
    ...config,
  });
  if (firewall) new VirtualEnvironmentFirewallOptions(stack, `${id}-fw`, { nodeName: "pve1", containerId: 300, enabled: true, inputPolicy: "DROP" });
  return ct;
}

export const CONTAINER_CASES: readonly RuleCase[] = [
  {
    ruleId: "PVE-CT-001",
    bad: {
      "a hardened container made privileged": (s) => hardenedCt(s, "app", { privileged: true }),
      "a raw container without unprivileged (provider default: privileged)": (s) => rawCt(s, "raw", { unprivileged: undefined }),
    },
    good: (s) => {
      hardenedCt(s, "app");
      rawCt(s, "raw");
    },
  },
  {
    ruleId: "PVE-CT-002",
    bad: { "nesting on": (s) => hardenedCt(s, "app", { features: { nesting: true } }) },
    good: (s) => hardenedCt(s, "app"),
  },
  {
    ruleId: "PVE-CT-003",
    bad: { "keyctl on": (s) => hardenedCt(s, "app", { features: { keyctl: true } }) },
    good: (s) => hardenedCt(s, "app", { features: { nesting: true } }),
  },
  {
    ruleId: "PVE-CT-004",
    bad: {
      "fuse on": (s) => hardenedCt(s, "app", { features: { fuse: true } }),
      "nfs mounts allowed": (s) => hardenedCt(s, "app", { features: { mountTypes: ["nfs"] } }),
      "mknod on a raw container": (s) => rawCt(s, "raw", { features: { mknod: true } }),
    },
    good: (s) => {
      hardenedCt(s, "app");
      rawCt(s, "raw", { features: { nesting: false, mount: [] } });
    },
  },
  {
    ruleId: "PVE-CT-005",
    bad: {
      "the container firewall switched off": (s) => hardenedCt(s, "app", { firewall: { enabled: false } }),
      "a raw container without firewall options": (s) => rawCt(s, "raw", {}, false),
      "a raw container whose NIC has no firewall flag (provider default: off)": (s) => rawCt(s, "raw", { networkInterface: [{ name: "eth0" }] }),
    },
    good: (s) => {
      hardenedCt(s, "app");
      rawCt(s, "raw");
    },
  },
  {
    ruleId: "PVE-CT-006",
    bad: {
      "a root password from a sensitive variable": (s) => {
        const pw = new TerraformVariable(s, "root_password", { type: "string", sensitive: true });
        hardenedCt(s, "app", { user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: pw.stringValue } });
      },
      "a raw container without keys": (s) => rawCt(s, "raw", { initialization: { hostname: "raw" } }),
    },
    good: (s) => {
      hardenedCt(s, "app");
      rawCt(s, "raw");
    },
  },
];
