import { accessState } from "../../../sim/access-model";
import type { ApiRequest, HttpMethod, Route } from "../../../sim/route";
import { routes as backupRoutes } from "../../../sim/routes/backup";
import { routes as poolRoutes } from "../../../sim/routes/pools";
import { routes as sdnRoutes } from "../../../sim/routes/sdn";
import { call, fakeSim, type FakeSim } from "./fake-sim";

/** Calls a route as `ops@pve` (not root) — the checks PVE makes in handler code apply. */
async function callAs(
  routes: readonly Route[],
  sim: FakeSim,
  method: HttpMethod,
  template: string,
  params: Record<string, string>,
  args: Record<string, string> = {},
) {
  const found = routes.find((r) => r.method === method && r.template === template)!;
  const req: ApiRequest = { method, path: template, template, params, args, auth: { userid: "ops@pve" } };
  return await found.handler(req, sim);
}

function simWithOperator(acl: Array<{ path: string; roleid: string }>): FakeSim {
  const sim = fakeSim();
  const access = accessState(sim.state);
  access.users["ops@pve"] = { enable: 1, expire: 0, groups: [], tokens: {} };
  access.acl.push(...acl.map((a) => ({ ...a, type: "user" as const, ugid: "ops@pve", propagate: 1 as const })));
  return sim;
}

describe("handler-level privilege checks", () => {
  it("lets an SDN auditor read a vnet but not change it", async () => {
    const sim = simWithOperator([{ path: "/sdn/zones/tenants", roleid: "PVESDNUser" }]);
    await call(sdnRoutes, sim, "POST", "/cluster/sdn/zones", {}, { type: "simple", zone: "tenants" });
    await call(sdnRoutes, sim, "POST", "/cluster/sdn/vnets", {}, { vnet: "a", zone: "tenants" });
    await call(sdnRoutes, sim, "POST", "/cluster/sdn/zones", {}, { type: "simple", zone: "other" });
    // SDN.Audit (PVESDNUser) propagates to /sdn/zones/tenants/a
    expect(await callAs(sdnRoutes, sim, "GET", "/cluster/sdn/vnets/{vnet}", { vnet: "a" })).toMatchObject({ vnet: "a" });
    await expect(callAs(sdnRoutes, sim, "PUT", "/cluster/sdn/vnets/{vnet}", { vnet: "a" }, { alias: "x" })).rejects.toMatchObject({ status: 403 });
    // the zone list only shows zones the caller may see
    expect((await callAs(sdnRoutes, sim, "GET", "/cluster/sdn/zones", {})) as unknown[]).toEqual([expect.objectContaining({ zone: "tenants" })]);
  });

  it("refuses root-only backup options to anyone but root@pam", async () => {
    const sim = simWithOperator([{ path: "/", roleid: "Administrator" }]);
    const job = { id: "j", schedule: "daily", storage: "local", all: "1" };
    await expect(callAs(backupRoutes, sim, "POST", "/cluster/backup", {}, { ...job, script: "/bin/true" })).rejects.toMatchObject({
      errors: { script: "Only root may set this option." },
    });
    await callAs(backupRoutes, sim, "POST", "/cluster/backup", {}, job);
  });

  it("needs Permissions.Modify or VM.Allocate on a VM to put it into a pool", async () => {
    const sim = simWithOperator([{ path: "/pool/web", roleid: "PVEPoolAdmin" }]);
    await call(poolRoutes, sim, "POST", "/pools", {}, { poolid: "web" });
    await expect(callAs(poolRoutes, sim, "PUT", "/pools", {}, { poolid: "web", storage: "local" })).rejects.toMatchObject({ status: 403 });
    expect(await callAs(poolRoutes, sim, "GET", "/pools", {})).toEqual([{ poolid: "web" }]);
  });
});
