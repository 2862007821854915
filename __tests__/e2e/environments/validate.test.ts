/**
 * The post-deploy check really connects. bpg/proxmox waits for a global unicast address from the
 * guest agent, so an environment on a loopback subnet cannot be deployed through terraform (its
 * VMs would wait for an address until the agent timeout). The spec accepts such a pool, though:
 * this test loads that spec, creates its two VMs through the PVE API with 127.0.10.x cloud-init
 * addresses, listens on one of them and drives deploy/check-vms.ts. Only loopback addresses are
 * ever contacted: two more VMs carry 10.x addresses, which check-vms must recognise as a
 * simulator's inventions (GET /version) and leave alone, with net.connect watched to prove it. (`proxmox-cdk validate` on a deployed environment is in main-job.test.ts.)
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { checkDeployedVms } from "../../../deploy/check-vms";
import type { Target } from "../../../deploy/target";
import { RunningSimulator, startSimulator } from "../../../sim";
import { loadEnvironment, resolveDefaults } from "../../../envspec";
import { pveCall } from "../harness/pve-client";
import { REPO, tempProject } from "./cli-project";

/** dev.yaml's template and keys, with one tier of two VMs in a static pool of a loopback subnet. */
function loopbackSpec(): string {
  const dev = fs.readFileSync(path.join(REPO, "environments", "dev.yaml"), "utf8");
  const templates = /^templates:\n(?:[ #].*\n)+/m.exec(dev)?.[0];
  const cloudInit = /^cloudInit:\n(?:[ #].*\n?)+/m.exec(dev)?.[0];
  if (!templates || !cloudInit) throw new Error("environments/dev.yaml has no templates/cloudInit block to copy");
  return [
    "name: loop",
    "stage: dev",
    "nodes: [pve1, pve2, pve3]",
    "placement: pack",
    "network:",
    "  bridge:",
    "    name: vmbr0",
    "    subnet: 127.0.10.0/24",
    "    gateway: 127.0.10.254",
    templates.trimEnd(),
    "tiers:",
    "  web:",
    "    count: 2",
    "    template: debian12",
    "    ipv4: 127.0.10.0/28",
    "stateBackend: local",
    cloudInit.trimEnd(),
    "",
  ].join("\n");
}

/** Whether something accepts TCP connections at host:port (loopback only). */
function accepts(host: string, port: number): Promise<boolean> {
  if (!host.startsWith("127.")) throw new Error(`refusing to connect to ${host}: the tests only contact loopback addresses`);
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once("connect", () => done(true));
    s.once("timeout", () => done(false));
    s.once("error", () => done(false));
  });
}

/** A listener that accepts and closes connections on host:22 (a loopback address; needs root). */
async function listenSsh(host: string): Promise<net.Server> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `cannot listen on ${host}:22 (${e.message})${e.code === "EACCES" ? ": binding port 22 needs root" : e.code === "EADDRINUSE" ? ": another process listens there" : ""}`,
        ),
      ),
    );
    server.listen(22, host, () => resolve());
  });
  return server;
}

const close = (s: net.Server) => new Promise<void>((resolve) => s.close(() => resolve()));

/**
 * Starts or stops a VM through the API and waits until status/current says so: power actions are
 * tasks that end after the call returns, so checking right away would race them.
 */
async function power(sim: RunningSimulator, vm: { node: string; id: number }, action: "start" | "stop", status: "running" | "stopped"): Promise<void> {
  expect((await pveCall(sim, "POST", `/nodes/${vm.node}/qemu/${vm.id}/status/${action}`, { token: sim.apiToken })).status).toBe(200);
  const until = Date.now() + 10_000;
  for (;;) {
    const current = await pveCall(sim, "GET", `/nodes/${vm.node}/qemu/${vm.id}/status/current`, { token: sim.apiToken });
    if (current.body?.data?.status === status) return;
    if (Date.now() > until) throw new Error(`VM ${vm.id} is not ${status} 10 s after ${action}: ${JSON.stringify(current.body)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the post-deploy VM check on guests with loopback addresses", () => {
  const project = tempProject({ "loop.yaml": loopbackSpec() });
  const env = resolveDefaults(loadEnvironment(path.join(project.root, "environments", "loop.yaml")));
  let sim: RunningSimulator;
  let target: Target;
  let listener: net.Server | undefined;
  // The addresses the spec's pool gives the tier's members, in order.
  const members = [
    { name: "loop-web-1", id: 201, node: "pve1", ipv4: "127.0.10.1", tier: "web" },
    { name: "loop-web-2", id: 202, node: "pve1", ipv4: "127.0.10.2", tier: "web" },
  ];

  // Guests with the kind of address the simulator's users invent (10.x): never to be contacted.
  const invented = [
    { name: "loop-web-3", id: 203, node: "pve1", ipv4: "10.0.20.3", tier: "web" },
    { name: "loop-web-4", id: 204, node: "pve1", ipv4: "10.0.20.4", tier: "web" },
  ];

  beforeAll(async () => {
    sim = await startSimulator();
    target = {
      env: { PROXMOX_VE_ENDPOINT: sim.endpoint, PROXMOX_VE_API_TOKEN: sim.apiToken, SSL_CERT_FILE: sim.caCertPath, PROXMOX_VE_INSECURE: "false" },
      description: `test simulator at ${sim.endpoint}`,
      simulated: true,
      stop: () => Promise.resolve(),
    };
    for (const [m, gateway] of [...members.map((m) => [m, "127.0.10.254"] as const), ...invented.map((m) => [m, "10.0.20.254"] as const)]) {
      const create = await pveCall(sim, "POST", `/nodes/${m.node}/qemu`, {
        token: sim.apiToken,
        args: { vmid: m.id, name: m.name, memory: 512, agent: "enabled=1", net0: "virtio,bridge=vmbr0,firewall=1", ipconfig0: `ip=${m.ipv4}/24,gw=${gateway}` },
      });
      expect(create.status).toBe(200);
      await power(sim, m, "start", "running");
    }
    listener = await listenSsh(members[0].ipv4);
  });
  afterAll(async () => {
    if (listener) await close(listener);
    await sim?.stop();
  });

  it("accepts a static pool in a loopback subnet in the spec", () => {
    expect(env.tiers.web.ipv4).toEqual(expect.objectContaining({ mode: "pool", pool: "127.0.10.0/28" }));
    expect(env.network.subnet).toBe("127.0.10.0/24");
  });

  it("passes the VM whose SSH port accepts connections and fails the one whose port is closed", async () => {
    // GIVEN port 22 open on the first VM's address only
    expect(await accepts(members[1].ipv4, 22)).toBe(false);

    // WHEN checking the environment's VMs
    const checks = await checkDeployedVms(project.root, "loop", { target, deployed: { env, vms: members } });

    // THEN the agent reported each VM's address, and the TCP check connected to the first only
    expect(checks).toEqual([
      { name: "loop-web-1", ipv4: "127.0.10.1", agentIps: ["127.0.10.1"], port: { number: 22, state: "open" }, ok: true },
      { name: "loop-web-2", ipv4: "127.0.10.2", agentIps: ["127.0.10.2"], port: { number: 22, state: "closed" }, ok: false },
    ]);
  });

  it("passes every VM once both SSH ports accept connections", async () => {
    const second = await listenSsh(members[1].ipv4);
    try {
      const checks = await checkDeployedVms(project.root, "loop", { target, deployed: { env, vms: members } });
      expect(checks.map((c) => [c.name, c.port.state, c.ok])).toEqual([
        ["loop-web-1", "open", true],
        ["loop-web-2", "open", true],
      ]);
    } finally {
      await close(second);
    }
  });

  it("fails a VM whose guest agent reports no address, even with its port open", async () => {
    // GIVEN the first VM stopped: its agent answers nothing
    await power(sim, members[0], "stop", "stopped");

    const [first] = await checkDeployedVms(project.root, "loop", { target, deployed: { env, vms: members } });

    expect(first).toEqual({ name: "loop-web-1", ipv4: "127.0.10.1", agentIps: [], port: { number: 22, state: "open" }, ok: false });
  });

  it("opens no connection to a simulated guest's 10.x address, even with the simulator reached as an ordinary endpoint", async () => {
    // GIVEN the simulator as a target that is not marked simulated (what a remote `proxmox-cdk sim` looks like),
    // and net.connect watched: loopback connections go through, any other is refused and recorded
    const remote: Target = { ...target, description: `remote simulator at ${sim.endpoint}`, simulated: false };
    // (the module object itself: the `import * as` namespace has read-only bindings onto it)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const netModule = require("net") as typeof net;
    const original = netModule.connect;
    const hosts: string[] = [];
    const spy = jest.spyOn(netModule, "connect").mockImplementation((...args: Parameters<typeof net.connect>) => {
      const host = String((args[0] as unknown as net.TcpNetConnectOpts).host);
      hosts.push(host);
      if (!host.startsWith("127.")) throw new Error(`test refuses a connection to ${host}`);
      return (original as (...a: unknown[]) => net.Socket).apply(netModule, args);
    });
    let checks;
    try {
      // WHEN checking one loopback guest and the two 10.x guests
      checks = await checkDeployedVms(project.root, "loop", { target: remote, deployed: { env, vms: [members[1], ...invented] } });
    } finally {
      spy.mockRestore();
    }

    // THEN only the loopback guest was probed (the watch saw it), and the 10.x guests are "not checked"
    expect(hosts).toEqual(["127.0.10.2"]);
    expect(checks.map((c) => [c.name, c.agentIps, c.port])).toEqual([
      ["loop-web-2", ["127.0.10.2"], { number: 22, state: "closed" }],
      ["loop-web-3", ["10.0.20.3"], { number: 22, state: "not checked", note: "simulated guest address" }],
      ["loop-web-4", ["10.0.20.4"], { number: 22, state: "not checked", note: "simulated guest address" }],
    ]);
  });
});
