import { FaultInjector, parseFaults } from "../../../sim/faults";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { pveCall } from "../../e2e/harness/pve-client";
import { TerraformWorkdir, terraformWorkdir } from "../../e2e/harness/terraform-workdir";
import { debianCloudImage, sshPublicKey } from "./fixtures";
import { addClone, addTemplate, stackWith } from "./vm-stacks";

jest.setTimeout(600_000);

const CLONES = 6;
const FAULTS = "POST:/nodes/*/qemu/*/clone=500@0.3";
const FAULT_MESSAGE = "simulated fault (--faults) on POST /nodes/pve1/qemu/9000/clone";

/**
 * Which of the next clone requests the fault rule fails, for a seed. Only clone POSTs match the
 * rule, and each draws one number in arrival order, so the outcome of the k-th clone request of a
 * run is known in advance whichever VM sends it.
 */
function faultDraws(seed: number, count: number): boolean[] {
  const injector = new FaultInjector(parseFaults(FAULTS), seed);
  return Array.from({ length: count }, () => injector.forRequest("POST", "/nodes/pve1/qemu/9000/clone").status !== undefined);
}

/**
 * Faulted requests per round when every failed clone request is sent again in a later round
 * (a retry of the provider, or the next apply), `rounds` rounds at the most.
 */
function faultsPerRound(seed: number, rounds: number): number[] {
  const draws = faultDraws(seed, CLONES * rounds);
  const perRound: number[] = [];
  let next = 0;
  let requests = CLONES;
  for (let r = 0; r < rounds && requests > 0; r++) {
    const faulted = draws.slice(next, next + requests).filter(Boolean).length;
    perRound.push(faulted);
    next += requests;
    requests = faulted;
  }
  return perRound;
}

/** The first seed from 1 whose rounds satisfy `wanted`. */
function firstSeed(rounds: number, wanted: (perRound: number[]) => boolean): number {
  for (let seed = 1; seed < 1000; seed++) if (wanted(faultsPerRound(seed, rounds))) return seed;
  throw new Error("no seed in 1..999 gives the wanted fault sequence");
}

interface VmRow {
  readonly vmid: number;
  readonly name?: string;
}

/** The simulator's VM inventory, through the API. */
async function inventory(sim: RunningSimulator): Promise<VmRow[]> {
  const r = await pveCall(sim, "GET", "/cluster/resources", { token: sim.apiToken, args: { type: "vm" } });
  expect(r.status).toBe(200);
  return (r.body.data as VmRow[]).map(({ vmid, name }) => ({ vmid, name })).sort((a, b) => a.vmid - b.vmid);
}

/** The VMs Terraform manages: vm_id and name from `terraform show -json`, one per `terraform state list` address. */
async function terraformVms(wd: TerraformWorkdir): Promise<VmRow[]> {
  const addresses = (await wd.stateList()).filter((a) => a.startsWith("proxmox_virtual_environment_vm."));
  const resources: Array<{ address: string; type: string; values: { vm_id: number; name: string } }> =
    (await wd.showJson()).values?.root_module?.resources ?? [];
  const vms = resources.filter((r) => r.type === "proxmox_virtual_environment_vm");
  expect(vms.map((r) => r.address).sort()).toEqual(addresses.sort());
  return vms.map((r) => ({ vmid: Number(r.values.vm_id), name: r.values.name })).sort((a, b) => a.vmid - b.vmid);
}

describe("clones under injected 5xx faults, with the real bpg/proxmox provider", () => {
  let sim: RunningSimulator | undefined;
  const image = debianCloudImage();
  let wd: TerraformWorkdir | undefined;
  let cloneAnswers: number[] = [];

  afterEach(async () => {
    wd?.cleanup();
    wd = undefined;
    await sim?.stop();
    sim = undefined;
  });

  async function start(seed: number): Promise<RunningSimulator> {
    cloneAnswers = [];
    sim = await startSimulator({
      faults: FAULTS,
      seed,
      onRequest: (method, path, status) => {
        if (method === "POST" && path.endsWith("/clone")) cloneAnswers.push(status);
      },
    });
    return sim;
  }

  /** A template and six full clones (stopped, no agent wait), with the provider's `clone.retries`. */
  const stack = (retries: number) =>
    stackWith("sim-clone-faults", (s) => {
      const template = addTemplate(s, { ...image.source(), sshKey: sshPublicKey("ci"), description: "golden", tags: ["golden"] });
      for (let i = 0; i < CLONES; i++) {
        addClone(
          s,
          template,
          { id: `web${i}`, vmId: 200 + i, full: true, cores: 1, memoryMiB: 512, diskGiB: 8, tags: ["web"] },
          { started: false, agent: { enabled: false }, clone: { vmId: template.vmId, full: true, retries } },
        );
      }
    });

  it("fails the apply clearly where a clone was refused, leaves no orphan, and converges on the next apply", async () => {
    // GIVEN a seed whose 30 % clone faults refuse some clones of the first apply and none of the second
    const seed = firstSeed(2, (r) => r[0] > 0 && r[1] === 0);
    const [refused] = faultsPerRound(seed, 2);
    const s = await start(seed);
    wd = await terraformWorkdir(stack(1), { sim: s });

    // WHEN the stack is applied with the provider's default of one clone attempt
    const first = await wd.run("apply", "-auto-approve", "-input=false", "-no-color");

    // THEN the apply fails, naming the refused clone request once per refused VM
    expect(first.code).toBe(1);
    expect(cloneAnswers.filter((st) => st === 500)).toHaveLength(refused);
    const text = first.output.replace(/\s+/g, " ");
    expect(text.split("Error: VM clone with proxmox_virtual_environment_vm.web")).toHaveLength(refused + 1);
    expect(text.split(`error cloning VM: received an HTTP 500 response - Reason: ${FAULT_MESSAGE}`)).toHaveLength(refused + 1);

    // AND the simulator holds exactly the VMs Terraform knows: a refused clone made nothing
    const afterFirst = await terraformVms(wd);
    expect(afterFirst).toHaveLength(1 + CLONES - refused);
    expect(await inventory(s)).toEqual(afterFirst);

    // WHEN the same stack is applied again (faults still on)
    await wd.apply();

    // THEN every clone exists, inventory and state agree, and the re-plan is empty
    const afterSecond = await terraformVms(wd);
    expect(afterSecond.map((v) => v.vmid)).toEqual([...Array.from({ length: CLONES }, (_, i) => 200 + i), 9000]);
    expect(await inventory(s)).toEqual(afterSecond);
    expect((await wd.plan()).exitCode).toBe(0);

    // AND destroying leaves no VM
    await wd.destroy();
    expect(await inventory(s)).toEqual([]);
  });

  it("succeeds through the provider's clone retries and leaves no orphan", async () => {
    // GIVEN a seed whose 30 % clone faults refuse some first attempts but no clone three times
    const seed = firstSeed(3, (r) => r[0] > 0 && (r[2] ?? 0) === 0);
    const refusals = faultsPerRound(seed, 3).reduce((a, b) => a + b, 0);
    const s = await start(seed);
    wd = await terraformWorkdir(stack(3), { sim: s });

    // WHEN the stack is applied with clone.retries = 3
    await wd.apply();

    // THEN the refused requests were sent again and every clone exists once
    expect(cloneAnswers.filter((st) => st === 500)).toHaveLength(refusals);
    expect(cloneAnswers.filter((st) => st === 200)).toHaveLength(CLONES);
    const vms = await terraformVms(wd);
    expect(vms).toHaveLength(1 + CLONES);
    expect(await inventory(s)).toEqual(vms);
    expect((await wd.plan()).exitCode).toBe(0);
  });
});
