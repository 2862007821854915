import { RunningSimulator, skippedFirewallRules, startSimulator } from "../../../sim/index";
import { ImageServer, qcow2Image, serveImages } from "../../sim/qemu/fixtures";
import { TerraformWorkdir, terraformWorkdir } from "../harness/terraform-workdir";
import { renderReview } from "../../../review/review-markdown";
import { countPlan, destroys, readPlan } from "../../../terraform/terraform-plan";
import { apiGet } from "./sim-api";
import { tierStack } from "./tier-stack";

jest.setTimeout(600_000);

const GiB = 1024 ** 3;
/** Firewall objects rules name (IP sets, aliases) and the rule lists themselves. */
const FIREWALL_TYPES = new Set([
  "proxmox_virtual_environment_firewall_ipset",
  "proxmox_virtual_environment_firewall_alias",
  "proxmox_virtual_environment_firewall_rules",
]);

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[] };
}

/** A simulator and an image server per describe block, and the workdir its tests share. */
function freshSimulator(): { sim: RunningSimulator; image: { url: string; sha256: string }; wd?: TerraformWorkdir } {
  const env = {} as { sim: RunningSimulator; image: { url: string; sha256: string }; wd?: TerraformWorkdir };
  let images: ImageServer | undefined;
  beforeAll(async () => {
    images = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB) });
    env.image = { url: images.url("debian-13.qcow2"), sha256: images.sha256("debian-13.qcow2") };
    env.sim = await startSimulator();
  });
  afterAll(async () => {
    env.wd?.cleanup();
    await env.sim?.stop();
    await images?.close();
  });
  return env;
}

describe("adding a VM to a deployed tier never leaves a rule naming a missing IP set", () => {
  const env = freshSimulator();

  it("plans the new membership as a new set and in-place rule updates, applies it without a window, and converges", async () => {
    const { image, sim } = env;
    // GIVEN a deployed tier of two web VMs whose set the db VM's postgres rule names
    const wd = (env.wd = await terraformWorkdir(tierStack(image, 2), { sim }));
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

/** The sources of db's postgres rules, as PVE lists them. */
async function postgresSources(sim: RunningSimulator): Promise<string[]> {
  const rules = (await apiGet(sim, "/nodes/pve1/qemu/301/firewall/rules")) as Array<{ source?: string; dport?: string }>;
  return rules.filter((r) => r.dport === "5432").map((r) => r.source ?? "");
}

/** The cluster aliases' names, sorted. */
async function aliasNames(sim: RunningSimulator): Promise<string[]> {
  return ((await apiGet(sim, "/cluster/firewall/aliases")) as Array<{ name: string }>).map((a) => a.name).sort();
}

describe("adding a VM to a deployed DHCP tier replaces no firewall object a rule names", () => {
  const env = freshSimulator();

  it("plans the new member as creates and in-place rule updates only, applies it without a window, and converges", async () => {
    const { image, sim } = env;
    // GIVEN a deployed DHCP tier of two web VMs whose members' aliases the db VM's postgres rules name
    const wd = (env.wd = await terraformWorkdir(tierStack(image, 2, "dhcp"), { sim }));
    await wd.apply();
    expect(skippedFirewallRules(sim.state)).toEqual([]);
    expect(await apiGet(sim, "/cluster/firewall/ipset")).toEqual([]);
    expect(await aliasNames(sim)).toEqual(["web-1", "web-2"]);
    expect((await postgresSources(sim)).sort()).toEqual(["web-1", "web-2"]);

    // WHEN a third web VM is added and the change is planned
    wd.write(tierStack(image, 3, "dhcp"));
    const planned = await wd.run("plan", "-out=grow.plan", "-input=false", "-no-color");
    expect(planned.code).toBe(0);
    const plan = readPlan(await wd.cli.showJson("grow.plan"));

    // THEN nothing is destroyed or replaced: the new VM and its alias are created, rule lists change in place
    expect(destroys(plan).map((c) => c.address)).toEqual([]);
    expect(countPlan(plan)).toMatchObject({ destroy: 0, replace: 0 });
    const firewall = plan.changes.filter((c) => FIREWALL_TYPES.has(c.type));
    expect(firewall.filter((c) => c.type === "proxmox_virtual_environment_firewall_alias").map((c) => [c.action, c.after?.name])).toEqual([
      ["create", "web-3"],
    ]);
    expect(firewall.filter((c) => c.type === "proxmox_virtual_environment_firewall_ipset")).toEqual([]);
    // AND the review of that plan warns of no destroy or replace
    const review = renderReview({ env: "tier", plan, findings: [] });
    expect(review).not.toContain("Destroy and replace");

    // WHEN it is applied
    const applied = await wd.run("apply", "-auto-approve", "-input=false", "-no-color", "grow.plan");
    expect(applied.code).toBe(0);

    // THEN no rule ever named a missing alias or set (the simulator checks the ruleset after every change)
    expect(skippedFirewallRules(sim.state)).toEqual([]);
    // AND db's postgres rules name the three members' aliases, and still no IP set exists
    expect(await aliasNames(sim)).toEqual(["web-1", "web-2", "web-3"]);
    expect((await postgresSources(sim)).sort()).toEqual(["web-1", "web-2", "web-3"]);
    expect(await apiGet(sim, "/cluster/firewall/ipset")).toEqual([]);
    // AND a new plan is empty
    expect((await wd.plan()).exitCode).toBe(0);
  });

  it("removes a member's rules and alias; only rules naming the departing member may be skipped meanwhile", async () => {
    const { image, sim } = env;
    const wd = env.wd;
    if (!wd) throw new Error("the growth test above did not deploy the tier");
    const before = skippedFirewallRules(sim.state).length;
    // WHEN the tier shrinks back to two members
    wd.write(tierStack(image, 2, "dhcp"));
    await wd.apply();
    // THEN whatever rule was skipped named web-3, the member going away, and nothing else (Terraform
    // deletes the alias before it updates the rule lists that named it: DestroyEdgeTransformer)
    const skipped = skippedFirewallRules(sim.state).slice(before);
    expect(skipped.filter((r) => !/'web-3'/.test(r.error))).toEqual([]);
    // AND web-3's alias and db's rule naming it are gone, the others stay
    expect(await aliasNames(sim)).toEqual(["web-1", "web-2"]);
    expect((await postgresSources(sim)).sort()).toEqual(["web-1", "web-2"]);
    expect((await wd.plan()).exitCode).toBe(0);
  });
});
