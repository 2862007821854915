import * as fs from "fs";
import * as path from "path";
import { readDeployedEnvironment } from "../../deploy/environment-outputs";
import { up } from "../../deploy/workflow";
import { buildInventory, InboundAllowance, renderInventory, VmRow } from "../../inventory/ansible-inventory";
import { PveConnection } from "../../pve/pve-client";
import { RunningSimulator, startSimulator } from "../../sim";
import { STATE_BACKEND_ENV } from "../../stacks/environment-stack";
import { installAnsibleDeps } from "../ansible/ansible-cli";
import { removeProject, repoSpec, PROD_VARIABLES, simulatorTarget, tempProject } from "../e2e/review/sim-project";
import { inventoryAccepts, nftablesAccepts, proxmoxAccepts } from "./accepted-traffic";
import { renderNftables } from "./render-nftables";

// Defence in depth only holds if the guest's own firewall (nftables, from the Ansible inventory)
// admits exactly what the Proxmox VM firewall admits. Both come from the spec's firewall intents;
// this deploys dev, staging and prod to the simulator, reads the real rules and IP sets back from the API,
// and compares them host by host with the inventory and with the ruleset the nftables role renders.

const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

interface Host {
  readonly tier: string;
  readonly vm: VmRow;
  readonly allowances: readonly InboundAllowance[];
  /** What the Proxmox VM firewall accepts. */
  readonly proxmox: readonly string[];
  /** What the rendered nftables ruleset accepts. */
  readonly nftables: readonly string[];
}

let sim: RunningSimulator | undefined;
let root: string | undefined;
const savedBackend = process.env[STATE_BACKEND_ENV];
const hosts: Record<string, Host[]> = {};

beforeAll(async () => {
  await installAnsibleDeps();
  // prod keeps its state in PostgreSQL; the simulated deploy keeps it local.
  process.env[STATE_BACKEND_ENV] = "local";
  sim = await startSimulator({});
  // prod also lets the bastion ping the database tier, so ICMP is compared too.
  const prod = repoSpec("prod").replace(
    "    - { from: bastion, to: db, port: ssh }\n",
    "    - { from: bastion, to: db, port: ssh }\n    - { from: bastion, to: db, port: icmp }\n",
  );
  expect(prod).toContain("port: icmp");
  root = tempProject("host-firewall", { dev: repoSpec("dev"), staging: repoSpec("staging"), prod });
  const conn: PveConnection = { endpoint: sim.endpoint, apiToken: sim.apiToken, caCertPath: sim.caCertPath };
  for (const name of ENVIRONMENTS) {
    await up({ root, env: name, target: simulatorTarget(sim, PROD_VARIABLES), log: () => undefined });
    const { env, vms } = await readDeployedEnvironment(root, name);
    const inventoryFile = path.join(root, "ansible", "inventory", `${name}.yml`);
    fs.mkdirSync(path.dirname(inventoryFile), { recursive: true });
    fs.writeFileSync(inventoryFile, renderInventory(env, vms));
    const rendered = await renderNftables(inventoryFile, path.join(root, `render-${name}`));
    const groups = (buildInventory(env, vms).all as { children: Record<string, { hosts: Record<string, { nftables_allowed_inbound: InboundAllowance[] }> }> })
      .children;
    hosts[name] = [];
    for (const vm of vms) {
      const ruleset = rendered.get(vm.name);
      if (!ruleset) throw new Error(`ansible rendered no ruleset for ${vm.name}`);
      hosts[name].push({
        tier: vm.tier,
        vm,
        allowances: groups[vm.tier].hosts[vm.name].nftables_allowed_inbound,
        proxmox: [...(await proxmoxAccepts(conn, vm))].sort(),
        nftables: [...nftablesAccepts(ruleset)].sort(),
      });
    }
  }
}, 900_000);

afterAll(async () => {
  if (savedBackend === undefined) delete process.env[STATE_BACKEND_ENV];
  else process.env[STATE_BACKEND_ENV] = savedBackend;
  await sim?.stop();
  removeProject(root);
});

describe.each(ENVIRONMENTS)("%s: the host firewall of every tier equals its Proxmox firewall", (name) => {
  it("reads inbound rules back from the Proxmox VM firewall of every VM", () => {
    expect(hosts[name].length).toBeGreaterThan(0);
    for (const h of hosts[name]) expect({ host: h.vm.name, proxmox: h.proxmox.length > 0 }).toEqual({ host: h.vm.name, proxmox: true });
  });

  it("gives every host the inbound allowances (protocol, port, sources) its Proxmox VM firewall accepts", () => {
    for (const h of hosts[name]) {
      expect({ tier: h.tier, host: h.vm.name, accepts: [...inventoryAccepts(h.allowances)].sort() }).toEqual({
        tier: h.tier,
        host: h.vm.name,
        accepts: h.proxmox,
      });
    }
  });

  it("renders an nftables ruleset for every host that accepts what its Proxmox VM firewall accepts", () => {
    for (const h of hosts[name]) {
      expect({ tier: h.tier, host: h.vm.name, accepts: h.nftables }).toEqual({ tier: h.tier, host: h.vm.name, accepts: h.proxmox });
    }
  });
});

describe("prod: what the firewalls agree on", () => {
  it("admits postgres on the database tier only from the app VMs, and https on the web tier from any IPv4 source only", () => {
    const db = hosts.prod.find((h) => h.tier === "db")!;
    const web = hosts.prod.find((h) => h.tier === "web")!;
    const app = hosts.prod
      .filter((h) => h.tier === "app")
      .map((h) => h.vm.ipv4)
      .sort();
    expect(db.nftables).toContain(`ipv4 tcp 5432 from ${app.join(",")}`);
    expect(web.nftables).toContain("ipv4 tcp 443 from any");
    expect(web.nftables.filter((a) => a.startsWith("ipv6"))).toEqual([]);
  });

  it("admits ping (ICMP echo-request, no other ICMP type) on the database tier only from the bastion", () => {
    const db = hosts.prod.find((h) => h.tier === "db")!;
    const bastion = hosts.prod
      .filter((h) => h.tier === "bastion")
      .map((h) => h.vm.ipv4)
      .sort();
    expect(db.proxmox.filter((a) => a.includes(" icmp "))).toEqual([`ipv4 icmp echo-request from ${bastion.join(",")}`]);
    expect(db.nftables.filter((a) => a.includes(" icmp "))).toEqual([`ipv4 icmp echo-request from ${bastion.join(",")}`]);
  });
});
