import { Construct } from "constructs";
import { HardenedContainer } from "../constructs/hardened-container";
import { HardenedVm } from "../constructs/hardened-vm";
import { Peer } from "../constructs/peer";
import { ContainerGroup } from "../constructs/container-group";
import { VmGroup } from "../constructs/vm-group";
import { WindowsGroup } from "../constructs/windows-group";
import type { ResolvedAdoptedGuest, ResolvedEnvironment } from "../envspec";
import { firewallIntents, intentPort } from "./firewall-intents";

/**
 * The environment's `adopted` guests as hardened constructs over the running guests (Terraform
 * imports them: `existing`), each with the stage's hardening applied in place, and the inbound
 * intents of the tier it names. Construct id `adopted-<name>`.
 */
export function adoptedGuests(
  scope: Construct,
  env: ResolvedEnvironment,
  tiers: Readonly<Record<string, VmGroup | ContainerGroup | WindowsGroup>>,
): Record<string, HardenedVm | HardenedContainer> {
  const out: Record<string, HardenedVm | HardenedContainer> = {};
  for (const g of Object.values(env.adopted ?? {})) out[g.name] = adoptedGuest(scope, env, g);
  for (const i of firewallIntents(env)) {
    const from = i.source.kind === "tier" ? tiers[i.source.tier] : Peer.cidr(i.source.cidr);
    for (const g of Object.values(env.adopted ?? {})) if (g.tier === i.tier) out[g.name].connections.allowFrom(from, intentPort(i.service), i.comment);
  }
  return out;
}

function adoptedGuest(scope: Construct, env: ResolvedEnvironment, g: ResolvedAdoptedGuest): HardenedVm | HardenedContainer {
  const [address, gateway] = [g.ipv4, g.gateway];
  const common = {
    node: g.node,
    name: g.name,
    vmId: g.vmid,
    stage: env.stage,
    cores: g.cores,
    memoryMiB: g.memoryMiB,
    diskGiB: g.disk.sizeGiB,
    datastoreId: g.disk.storage,
    bridge: g.network.bridge,
    vlanId: g.network.vlan,
    protection: env.protection,
    tags: [...g.tags],
    ...(g.pool !== undefined ? { poolId: g.pool } : {}),
  };
  if (g.kind === "container") {
    return new HardenedContainer(scope, `adopted-${g.name}`, {
      ...common,
      swapMiB: g.swapMiB,
      existing: {},
      user: { sshKeys: env.cloudInit.sshKeys },
      ipv4: { address, ...(gateway !== undefined ? { gateway } : {}) },
    });
  }
  return new HardenedVm(scope, `adopted-${g.name}`, {
    ...common,
    existing: { diskInterface: g.disk.interface },
    user: { username: env.cloudInit.user, sshKeys: env.cloudInit.sshKeys },
    ipv4: address === "dhcp" ? "dhcp" : { address, ...(gateway !== undefined ? { gateway } : {}) },
  });
}
