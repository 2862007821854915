import { ImageServer, qcow2Image, serveImages, sshPublicKey } from "../../sim/qemu/fixtures";
import { ImageSource } from "./environment";
import { AccessLane, ROLE, startAccessLane } from "./lanes";
import { apiGet, apiWrite, leftovers, NOTHING_LEFT } from "./sim-api";

jest.setTimeout(600_000);

const GiB = 1024 ** 3;
/** Independent simulators the per-privilege runs are spread over. */
const LANES = 2;

/**
 * How a run without one privilege was refused:
 * - "403 naming it": a step failed with PVE's `Permission check failed (<path>, <privilege>)`;
 * - "bare 403": a step failed with a `Permission check failed` that names no privilege;
 * - "created VM unreadable": the provider lost a VM it had just created;
 * - "re-plan not empty": create succeeded, but the next plan wants to change what was created;
 * - "403 naming it, as a warning": create and destroy succeeded, but the provider warned of a 403 naming it;
 * - "not refused": create and destroy succeeded without any sign of it.
 */
type Refusal = "403 naming it" | "bare 403" | "created VM unreadable" | "re-plan not empty" | "403 naming it, as a warning" | "not refused";

/** Text of a terraform run with box drawing and line wrapping removed, so messages are on one line. */
const flatten = (output: string): string => output.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");

/** The privileges named by the permission errors in a run's output (`a|b` lists count each). */
function namedPrivileges(output: string): string[] {
  return [...flatten(output).matchAll(/Permission check failed \([^,()]*, ([^()]*)\)/g)].flatMap((m) => m[1].split("|"));
}

function refusalOf(privilege: string, failed: string | undefined, succeeded: string): Refusal {
  if (failed === undefined) return namedPrivileges(succeeded).includes(privilege) ? "403 naming it, as a warning" : "not refused";
  if (namedPrivileges(failed).includes(privilege)) return "403 naming it";
  if (/Permission check failed(?! \()/.test(flatten(failed))) return "bare 403";
  if (flatten(failed).includes("Root object was present, but now absent")) return "created VM unreadable";
  throw new Error(`the run without ${privilege} failed for another reason:\n${failed}`);
}

/** Stops (if running) and destroys a VM with everything that refers to it, as root. */
async function purgeVm(sim: AccessLane["sim"], vmid: number): Promise<void> {
  const status = await apiGet(sim, `/nodes/pve1/qemu/${vmid}/status/current`);
  if (status.status === "running") await apiWrite(sim, "POST", `/nodes/pve1/qemu/${vmid}/status/stop`);
  const upid = await apiWrite(sim, "DELETE", `/nodes/pve1/qemu/${vmid}`, { purge: 1, "destroy-unreferenced-disks": 1 });
  let task = await apiGet(sim, `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`);
  for (let i = 0; i < 300 && task.status === "running"; i++) {
    await new Promise((r) => setTimeout(r, 100));
    task = await apiGet(sim, `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`);
  }
  if (task.exitstatus !== "OK") throw new Error(`destroying the orphan VM ${vmid} failed: ${task.exitstatus}`);
}

/** Applies the environment from scratch with `privilege` removed from the role, then destroys it if that worked. */
async function runWithout(lane: AccessLane, privilege: string): Promise<Refusal> {
  await apiWrite(lane.sim, "PUT", `/access/roles/${ROLE}`, { privs: lane.privileges.filter((p) => p !== privilege).join(",") });
  let refusal: Refusal;
  const apply = await lane.env.run("apply", "-auto-approve", "-input=false", "-no-color");
  if (apply.code !== 0) {
    refusal = refusalOf(privilege, apply.output, "");
  } else {
    // (plans and destroys with the token too: reads and deletes need privileges of their own)
    const plan = await lane.env.run("plan", "-detailed-exitcode", "-input=false", "-no-color");
    const destroy = await lane.env.run("destroy", "-auto-approve", "-input=false", "-no-color");
    if (plan.code === 1) refusal = refusalOf(privilege, plan.output, "");
    else if (plan.code === 2) refusal = "re-plan not empty";
    else refusal = refusalOf(privilege, destroy.code !== 0 ? destroy.output : undefined, apply.output + plan.output + destroy.output);
  }
  // Clean up as root, so that the next privilege starts from nothing again (create paths included).
  await apiWrite(lane.sim, "PUT", `/access/roles/${ROLE}`, { privs: lane.privileges.join(",") });
  await lane.envAsRoot.destroy();
  // A create refused half-way (e.g. the VM exists but cannot be read back) leaves an orphan the
  // state does not know: remove it as root, as an operator would.
  for (const vmid of (await leftovers(lane.sim)).vms as number[]) await purgeVm(lane.sim, vmid);
  const left = await leftovers(lane.sim);
  if (JSON.stringify(left) !== JSON.stringify(NOTHING_LEFT)) {
    throw new Error(`run without ${privilege} left objects behind after the root destroy: ${JSON.stringify(left)}`);
  }
  return refusal;
}

describe("TerraformAccess: the derived role is sufficient and minimal for an environment", () => {
  let images: ImageServer;
  let image: ImageSource;
  const key = sshPublicKey("ops@e2e");

  beforeAll(async () => {
    images = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB) });
    image = { url: images.url("debian-13.qcow2"), sha256: images.sha256("debian-13.qcow2") };
  });
  afterAll(async () => {
    await images?.close();
  });

  it("lets the derived token apply, re-plan and destroy the whole environment", async () => {
    // GIVEN the admin stack applied with the root token: role, terraform@pve, its privsep token, ACLs
    const lane = await startAccessLane(image, key, 2);
    try {
      // (the simulator holds the role exactly as the construct derived it)
      expect(lane.privileges).toEqual(lane.derived);

      // WHEN the environment is applied with the derived token
      await lane.env.apply();

      // THEN every VM exists, a re-plan with the token is empty, and the token destroys it all
      expect((await leftovers(lane.sim)).vms).toEqual([201, 202, 301, 9000]);
      const plan = await lane.env.plan();
      expect([plan.exitCode, plan.exitCode === 0 ? "" : plan.output]).toEqual([0, ""]);
      await lane.env.destroy();
      expect(await leftovers(lane.sim)).toEqual(NOTHING_LEFT);
    } finally {
      await lane.stop();
    }
  });

  it("needs every privilege of the derived role: without any one of them, PVE refuses creating, re-planning or destroying the environment", async () => {
    // GIVEN independent simulators, each with the admin stack applied (a 1 web + 1 db environment,
    // which has every resource type of the full one)
    // (one after the other: terraform's shared plugin cache is not safe for concurrent inits)
    const lanes: AccessLane[] = [];
    try {
      for (let i = 0; i < LANES; i++) lanes.push(await startAccessLane(image, key, 1));
      const privileges = lanes[0].privileges;
      expect(privileges.length).toBeGreaterThan(10);

      // WHEN, for each privilege P, the role loses P and the environment is applied from nothing
      // (and destroyed with the token, if the apply succeeded)
      const queue = [...privileges];
      const refusals: Record<string, Refusal> = {};
      await Promise.all(
        lanes.map(async (lane) => {
          for (let p = queue.shift(); p !== undefined; p = queue.shift()) refusals[p] = await runWithout(lane, p);
        }),
      );

      // THEN PVE refused every run with a 403 naming the missing privilege, except four
      // privileges whose refusal reaches Terraform in another form:
      // - VM.Allocate: qemu-server's create raises a bare `Permission check failed` (raise_perm_exc());
      // - VM.Audit: the provider finds VMs through /cluster/resources, which lists only VMs the
      //   caller may audit, so a VM it has just created reads as gone;
      // - VM.GuestAgent.Audit: the provider reports the agent's 403 as a warning and gives up on the
      //   VM's agent-reported addresses (which DHCP members' IP set entries are made of);
      // - Pool.Audit: the provider finds a VM's pool by listing pools, which shows only pools the
      //   caller may audit, so the VMs' pool reads empty and every plan re-adds it.
      const expected: Record<string, Refusal> = Object.fromEntries(privileges.map((p) => [p, "403 naming it"]));
      expected["VM.Allocate"] = "bare 403";
      expected["VM.Audit"] = "created VM unreadable";
      expected["VM.GuestAgent.Audit"] = "403 naming it, as a warning";
      expected["Pool.Audit"] = "re-plan not empty";
      expect(refusals).toEqual(expected);
    } finally {
      await Promise.all(lanes.map((l) => l.stop()));
    }
  });
});
