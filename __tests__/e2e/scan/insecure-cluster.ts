/**
 * A cluster built through a running simulator's API the way guests made by hand look: the fixture of
 * the scan and brownfield end-to-end tests. Guests are created with insecure settings (no NIC
 * firewall flag, a cloud-init password and no key, no guest agent, inbound ACCEPT, no backup job).
 */
import { RunningSimulator } from "../../../sim";
import { pveCall } from "../harness/pve-client";
import { serveImages } from "../../sim/qemu/fixtures";

/** The insecure VMs: 201–203 firewall off, 204–205 firewall on; 205 also accepts SSH from anywhere. */
export const INSECURE = [201, 202, 203, 204, 205];
/** The insecure container. */
export const CONTAINER = 206;
const CT_TEMPLATE = "debian-13-standard_13.1-2_amd64.tar.zst";

/** Calls the simulator's API with its root token; throws on anything but 200. */
export async function api(sim: RunningSimulator, method: string, apiPath: string, args: Record<string, string | number> = {}): Promise<unknown> {
  const res = await pveCall(sim, method, apiPath, { token: sim.apiToken, args });
  if (res.status !== 200) throw new Error(`${method} ${apiPath}: ${res.status} ${res.statusMessage} ${JSON.stringify(res.body)}`);
  return res.body?.data;
}

/** Waits (bounded) for a task the simulator started to end. */
export async function settle(sim: RunningSimulator, upid: unknown): Promise<void> {
  if (typeof upid !== "string" || !upid.startsWith("UPID:")) return;
  for (let i = 0; i < 200; i++) {
    const status = (await api(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)) as { status?: string; exitstatus?: string };
    if (status.status === "stopped") {
      if (status.exitstatus !== "OK") throw new Error(`task ${upid} ended with ${status.exitstatus}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`task ${upid} did not end`);
}

/** How the insecure guests are built. */
export interface InsecureGuestsOptions {
  /** VLAN tag of the VMs' NIC. @default untagged */
  readonly vlan?: number;
  /** The container is privileged (`unprivileged: 0`; root@pam only). @default false (PVE creates unprivileged containers) */
  readonly privilegedContainer?: boolean;
  /** The container's `ip=` on net0. @default "dhcp" */
  readonly containerIp?: string;
  /** The container's net0 has the firewall flag. @default false */
  readonly containerNicFirewall?: boolean;
}

/**
 * The five insecure VMs (tagged prod, so the prod safeguards apply) and the insecure container
 * (firewall on with inbound ACCEPT, NIC without the firewall flag).
 */
export async function createInsecureGuests(sim: RunningSimulator, options: InsecureGuestsOptions = {}): Promise<void> {
  for (const vmid of INSECURE) {
    await settle(
      sim,
      await api(sim, "POST", "/nodes/pve1/qemu", {
        vmid,
        name: `legacy-${vmid}`,
        tags: "prod",
        scsi0: "local-lvm:4",
        ide2: "local-lvm:cloudinit",
        net0: `virtio,bridge=vmbr0${options.vlan !== undefined ? `,tag=${options.vlan}` : ""}`,
        ciuser: "admin",
        cipassword: "hunter2-not-a-key",
      }),
    );
    const on = vmid >= 204 ? 1 : 0;
    await api(sim, "PUT", `/nodes/pve1/qemu/${vmid}/firewall/options`, { enable: on, policy_in: "ACCEPT" });
  }
  await createContainer(sim, CONTAINER, "legacy-ct", options);
  await api(sim, "POST", "/nodes/pve1/qemu/205/firewall/rules", { type: "in", action: "ACCEPT", proto: "tcp", dport: "22", enable: 1 });
}

/** A container from a downloaded template: NIC without the firewall flag, firewall on with inbound ACCEPT. */
export async function createContainer(sim: RunningSimulator, vmid: number, hostname: string, options: InsecureGuestsOptions = {}): Promise<void> {
  await ensureContainerTemplate(sim);
  await settle(
    sim,
    await api(sim, "POST", "/nodes/pve1/lxc", {
      vmid,
      ostemplate: `local:vztmpl/${CT_TEMPLATE}`,
      hostname,
      tags: "prod",
      rootfs: "local-lvm:4",
      net0: `name=eth0,bridge=vmbr0,ip=${options.containerIp ?? "dhcp"}${options.vlan !== undefined ? `,tag=${options.vlan}` : ""}${options.containerNicFirewall ? ",firewall=1" : ""}`,
      ...(options.privilegedContainer ? { unprivileged: 0 } : {}),
    }),
  );
  await api(sim, "PUT", `/nodes/pve1/lxc/${vmid}/firewall/options`, { enable: 1, policy_in: "ACCEPT" });
}

/** Downloads the container template to pve1's `local` storage unless it is there. */
async function ensureContainerTemplate(sim: RunningSimulator): Promise<void> {
  const content = (await api(sim, "GET", "/nodes/pve1/storage/local/content", { content: "vztmpl" })) as { volid: string }[];
  if (content.some((c) => c.volid === `local:vztmpl/${CT_TEMPLATE}`)) return;
  const server = await serveImages({ [CT_TEMPLATE]: Buffer.from("a container template's bytes") });
  try {
    await settle(
      sim,
      await api(sim, "POST", "/nodes/pve1/storage/local/download-url", {
        content: "vztmpl",
        filename: CT_TEMPLATE,
        url: server.url(CT_TEMPLATE),
        checksum: server.sha256(CT_TEMPLATE),
        "checksum-algorithm": "sha256",
      }),
    );
  } finally {
    await server.close();
  }
}

/** A read-only token as scan and import use it: PVEAuditor on / for a user and its privilege-separated token, with an expiry. */
export async function auditorToken(sim: RunningSimulator): Promise<string> {
  await api(sim, "POST", "/access/users", { userid: "scan@pve" });
  const token = (await api(sim, "POST", "/access/users/scan@pve/token/audit", { privsep: 1, expire: Math.floor(Date.now() / 1000) + 86_400 })) as {
    "full-tokenid": string;
    value: string;
  };
  // With privilege separation a token holds what both it and its user are granted.
  await api(sim, "PUT", "/access/acl", { path: "/", roles: "PVEAuditor", users: "scan@pve", tokens: token["full-tokenid"] });
  return `${token["full-tokenid"]}=${token.value}`;
}
