import type { ConsentRequest } from "../../deploy/workflow";
import type { ResourceChange } from "../../terraform/terraform-plan";
import { ConsoleRun, consoleConsent } from "../../ui/console-runs";

/** A VM the plan replaces because its node changed, as the plan JSON reads. */
const replaced = (name: string): ResourceChange => ({
  address: `proxmox_virtual_environment_vm.tier-web_${name}_vm_5213BF9D`,
  type: "proxmox_virtual_environment_vm",
  name: `tier-web_${name}_vm_5213BF9D`,
  mode: "managed",
  action: "replace",
  actions: ["delete", "create"],
  before: { name },
  after: { name },
  afterUnknown: {},
  beforeSensitive: {},
  afterSensitive: {},
  replacePaths: [["node_name"]],
  constructPath: `qa/tier-web/${name}/vm`,
});

const request = (...changes: ResourceChange[]): ConsentRequest => ({ action: "up", env: "qa", changes, unprotect: [] });

/** A finished plan run of `env` whose review showed `shown` as destroyed or replaced. */
function planRun(env: string, shown: readonly ResourceChange[], log: string[] = []): ConsoleRun {
  // The lines the plan page showed are the ones the consent rule writes for the same changes.
  const lines: string[] = [];
  void consoleConsent({ env, confirmation: "", log: () => undefined, refused: lines })(request(...shown));
  return { id: "p1", env, action: "plan", lines: log, state: "done", outcome: { summary: "", changes: [], destructive: lines } };
}

/** Asks the console's consent rule about `req` and returns its answer and log. */
async function decide(confirmation: string, reviewed: ConsoleRun | undefined, req: ConsentRequest): Promise<[boolean, string[]]> {
  const log: string[] = [];
  const answer = await consoleConsent({ env: "qa", confirmation, reviewed, log: (l) => log.push(l), refused: [] })(req);
  return [answer, log];
}

describe("the console deploy's consent to destroys and replaces", () => {
  it("accepts a replace that the reviewed plan showed, with the environment name typed", async () => {
    const [ok, log] = await decide("qa", planRun("qa", [replaced("qa-web-1")]), request(replaced("qa-web-1")));
    expect(ok).toBe(true);
    expect(log).toEqual(["Confirmed in the console: destroying or replacing 1 resource(s) of qa."]);
  });

  it.each<[string, ConsoleRun | undefined]>([
    ["no reviewed plan (a stale or unknown plan id)", undefined],
    ["a reviewed plan that showed a different replace", planRun("qa", [replaced("qa-web-2")])],
    ["a reviewed plan of another environment", planRun("dev", [replaced("qa-web-1")])],
    ["a plan run that has not finished", { ...planRun("qa", [replaced("qa-web-1")]), state: "running" }],
    ["a deploy run instead of a plan", { ...planRun("qa", [replaced("qa-web-1")]), action: "up" }],
  ])("refuses a replace with the name typed but %s", async (_, reviewed) => {
    const [ok, log] = await decide("qa", reviewed, request(replaced("qa-web-1")));
    expect(ok).toBe(false);
    expect(log).toEqual([expect.stringMatching(/^qa now destroys or replaces what the reviewed plan did not show \(replace .*qa-web-1.*\): run a plan again/)]);
  });

  it("refuses a replace the reviewed plan showed when the typed name is wrong", async () => {
    const [ok, log] = await decide("not-qa", planRun("qa", [replaced("qa-web-1")]), request(replaced("qa-web-1")));
    expect(ok).toBe(false);
    expect(log).toEqual(["qa destroys or replaces 1 resource(s): type the environment name to confirm."]);
  });

  it("refuses when the deploy would replace more than the reviewed plan showed", async () => {
    const [ok] = await decide("qa", planRun("qa", [replaced("qa-web-1")]), request(replaced("qa-web-1"), replaced("qa-web-2")));
    expect(ok).toBe(false);
  });
});
