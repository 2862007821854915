import { App, TerraformStack, Testing } from "cdktf";
import { ProxmoxProvider } from "../../../.gen/providers/proxmox/provider";
import { HardenedVm } from "../../../constructs/hardened-vm";
import { Port } from "../../../constructs/port";
import { VmGroup } from "../../../constructs/vm-group";
import { VmTemplate } from "../../../constructs/vm-template";
import { RunningSimulator, skippedFirewallRules, startSimulator } from "../../../sim/index";
import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../../sim/qemu/fixtures";
import { TerraformWorkdir, terraformWorkdir } from "../harness/terraform-workdir";
import { apiGet } from "./sim-api";

jest.setTimeout(600_000);

const GiB = 1024 ** 3;
/** Firewall objects rules name (IP sets, aliases) and the rule lists themselves. */
const FIREWALL_TYPES = new Set(["proxmox_virtual_environment_firewall_ipset", "proxmox_virtual_environment_firewall_alias", "proxmox_virtual_environment_firewall_rules"]);

/** A template, a web VmGroup of `webCount` members with static addresses, and a db VM that lets postgres in from the group only. */
function tierStack(image: { url: string; sha256: string }, webCount: number): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "tier");
  new ProxmoxProvider(stack, "proxmox", {});
  const template = new VmTemplate(stack, "template", {
    node: "pve1",
    name: "debian-13",
    vmId: 9000,
    image: { url: image.url, checksum: image.sha256, checksumAlgorithm: "sha256", fileName: "debian-13.qcow2" },
  });
  const common = { template, cores: 1, memoryMiB: 1024, diskGiB: 10, agentTimeout: "1m", user: { sshKeys: [sshPublicKey("ops@tier")] } };
  const web = new VmGroup(stack, "web", { ...common, count: webCount, namePrefix: "web", nodes: ["pve1"], firstVmId: 201, ipv4Pool: { cidr: "10.120.0.0/24", firstHost: 11, gateway: "10.120.0.1" } });
  const db = new HardenedVm(stack, "db", { ...common, node: "pve1", name: "db", vmId: 301, ipv4: { address: "10.120.0.21/24", gateway: "10.120.0.1" } });
  db.connections.allowFrom(web, Port.POSTGRES, "web to db");
  return stack;
}

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[] };
}

describe("adding a VM to a deployed tier never leaves a rule naming a missing IP set", () => {
  let images: ImageServer;
  let sim: RunningSimulator;
  let wd: TerraformWorkdir | undefined;

  beforeAll(async () => {
    images = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB) });
    sim = await startSimulator();
  });
  afterAll(async () => {
    wd?.cleanup();
    await sim?.stop();
    await images?.close();
  });

  it("plans the new membership as a new set and in-place rule updates, applies it without a window, and converges", async () => {
    const image = { url: images.url("debian-13.qcow2"), sha256: images.sha256("debian-13.qcow2") };
    // GIVEN a deployed tier of two web VMs whose set the db VM's postgres rule names
    wd = await terraformWorkdir(tierStack(image, 2), { sim });
    await wd.apply();
    expect(skippedFirewallRules(sim.state)).toEqual([]);
    const before = ((await apiGet(sim, "/cluster/firewall/ipset")) as Array<{ name: string }>).map((s) => s.name);
    expect(before).toEqual([expect.stringMatching(/^web-[0-9a-f]{8}$/)]);

    // WHEN a third web VM is added and the change is planned
    wd.write(tierStack(image, 3));
    const planned = await wd.run("plan", "-out=grow.plan", "-input=false", "-no-color");
    expect(planned.code).toBe(0);
    const plan = await wd.cli.showJson("grow.plan");
    const changes = (plan.resource_changes as ResourceChange[]).filter((c) => FIREWALL_TYPES.has(c.type) && !c.change.actions.includes("no-op"));

    // THEN no firewall object is replaced (neither delete-then-create nor create-then-delete):
    // a new set is created, the old one deleted, the rules change in place
    const replaced = changes.filter((c) => c.change.actions.includes("create") && c.change.actions.includes("delete")).map((c) => c.address);
    expect(replaced).toEqual([]);
    const byAction = (action: string, type: string) => changes.filter((c) => c.type === type && c.change.actions.join() === action).length;
    expect(byAction("create", "proxmox_virtual_environment_firewall_ipset")).toBe(1);
    expect(byAction("delete", "proxmox_virtual_environment_firewall_ipset")).toBe(1);

    // WHEN it is applied
    const applied = await wd.run("apply", "-auto-approve", "-input=false", "-no-color", "grow.plan");
    expect(applied.code).toBe(0);

    // THEN no rule ever named a missing set or alias (the simulator checks the ruleset after every change)
    expect(skippedFirewallRules(sim.state)).toEqual([]);
    // AND one web set is left, a new one, listing the three members
    const after = ((await apiGet(sim, "/cluster/firewall/ipset")) as Array<{ name: string }>).map((s) => s.name);
    expect(after).toEqual([expect.stringMatching(/^web-[0-9a-f]{8}$/)]);
    expect(after[0]).not.toBe(before[0]);
    const entries = (await apiGet(sim, `/cluster/firewall/ipset/${after[0]}`)) as Array<{ cidr: string }>;
    expect(entries.map((e) => e.cidr).sort()).toEqual(["10.120.0.11", "10.120.0.12", "10.120.0.13"]);
    // AND db's rule names the new set
    const rules = (await apiGet(sim, "/nodes/pve1/qemu/301/firewall/rules")) as Array<{ source?: string; dport?: string }>;
    expect(rules.filter((r) => r.dport === "5432").map((r) => r.source)).toEqual([`+${after[0]}`]);
    // AND a new plan is empty
    expect((await wd.plan()).exitCode).toBe(0);
  });
});
