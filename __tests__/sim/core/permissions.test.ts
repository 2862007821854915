import { accessState } from "../../../sim/access-model";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { requirePrivs } from "../../../sim/permission-check";
import { effectivePrivileges } from "../../../sim/privileges";
import { PveAnswer, pveCall } from "../../e2e/harness/pve-client";

describe("simulator privileges", () => {
  let sim: RunningSimulator;
  const root = (method: string, path: string, args?: Record<string, string | number>): Promise<PveAnswer> =>
    pveCall(sim, method, path, { token: sim.apiToken, args });

  /** Creates user `userid` with a token; returns the full token string. */
  async function userWithToken(userid: string, privsep: 0 | 1): Promise<string> {
    if (!accessState(sim.state).users[userid]) expect((await root("POST", "/access/users", { userid })).status).toBe(200);
    const r = await root("POST", `/access/users/${encodeURIComponent(userid)}/token/t${privsep}`, { privsep });
    expect(r.status).toBe(200);
    return `${r.body.data["full-tokenid"]}=${r.body.data.value}`;
  }

  const grant = (path: string, roles: string, who: Record<string, string>, propagate = 1) => root("PUT", "/access/acl", { path, roles, propagate, ...who });

  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim.stop());

  it("answers 403 naming path and privilege when a token lacks the privilege a route's schema requires", async () => {
    // GIVEN an auditor token (privsep) whose user is also an auditor
    const token = await userWithToken("auditor@pve", 1);
    await grant("/", "PVEAuditor", { users: "auditor@pve" });
    await grant("/", "PVEAuditor", { tokens: "auditor@pve!t1" });
    // WHEN it tries to create a role (schema: perm /access Sys.Modify)
    const r = await pveCall(sim, "POST", "/access/roles", { token, args: { roleid: "Nope" } });
    // THEN PVE's 403 names the path and the missing privilege
    expect(r.status).toBe(403);
    expect(r.statusMessage).toBe("Permission check failed (/access, Sys.Modify)");
    // AND reading (Sys.Audit on /) still works
    expect((await pveCall(sim, "GET", "/cluster/status", { token })).status).toBe(200);
  });

  it("gives a privilege-separated token only what both the token and its user hold", async () => {
    // GIVEN a user with VM admin rights on /vms only, and a privsep token with PVEAdmin on /
    const token = await userWithToken("ops@pve", 1);
    await grant("/vms", "PVEVMAdmin", { users: "ops@pve" });
    await grant("/", "PVEAdmin", { tokens: "ops@pve!t1" });
    const privs = (path: string) => effectivePrivileges(sim.state, accessState(sim.state), "ops@pve!t1", path);
    // THEN on a VM the token has the intersection (VM.Allocate: both have it)
    expect(privs("/vms/100").has("VM.Allocate")).toBe(true);
    // AND on a node it has nothing, because the user has nothing there
    expect(privs("/nodes/pve1").has("Sys.Audit")).toBe(false);
    expect((await pveCall(sim, "GET", "/nodes/pve1/status", { token })).status).toBe(403);
  });

  it("gives a token without privilege separation exactly its user's privileges", async () => {
    const token = await userWithToken("ops@pve", 0);
    await grant("/nodes", "PVEAuditor", { users: "ops@pve" });
    // No ACL on the token itself: privsep=0 means the user's ACLs apply.
    expect((await pveCall(sim, "GET", "/nodes/pve1/status", { token })).status).toBe(200);
    expect((await pveCall(sim, "POST", "/access/roles", { token, args: { roleid: "Nope" } })).status).toBe(403);
  });

  it("applies a non-propagating ACL to its own path only", async () => {
    await root("POST", "/access/users", { userid: "p@pve" });
    await grant("/vms", "PVEVMUser", { users: "p@pve" }, 0);
    const at = (path: string) => effectivePrivileges(sim.state, accessState(sim.state), "p@pve", path);
    expect(at("/vms").has("VM.PowerMgmt")).toBe(true);
    expect(at("/vms/100").has("VM.PowerMgmt")).toBe(false);
  });

  it("inherits a propagating ACL on child paths", async () => {
    await root("POST", "/access/users", { userid: "p@pve" });
    await grant("/vms", "PVEVMUser", { users: "p@pve" }, 1);
    expect(effectivePrivileges(sim.state, accessState(sim.state), "p@pve", "/vms/100").has("VM.PowerMgmt")).toBe(true);
  });

  it("lets a more specific ACL replace inherited roles (NoAccess on one VM)", async () => {
    await root("POST", "/access/users", { userid: "p@pve" });
    await grant("/", "PVEVMAdmin", { users: "p@pve" });
    await grant("/vms/100", "NoAccess", { users: "p@pve" });
    const at = (path: string) => effectivePrivileges(sim.state, accessState(sim.state), "p@pve", path);
    expect(at("/vms/101").has("VM.Audit")).toBe(true);
    expect(at("/vms/100").size).toBe(0);
  });

  it("grants group ACLs to the group's members", async () => {
    await root("POST", "/access/groups", { groupid: "admins" });
    await root("POST", "/access/users", { userid: "g@pve", groups: "admins" });
    await grant("/storage", "PVEDatastoreUser", { groups: "admins" });
    expect(effectivePrivileges(sim.state, accessState(sim.state), "g@pve", "/storage/local").has("Datastore.AllocateSpace")).toBe(true);
  });

  it("offers requirePrivs to handlers: 403 for the first missing privilege, silence when held", async () => {
    await root("POST", "/access/users", { userid: "h@pve" });
    await grant("/vms/100", "PVETemplateUser", { users: "h@pve" });
    const req = { auth: { userid: "h@pve" } };
    expect(() => requirePrivs(req, sim.context, "/vms/100", ["VM.Clone"])).not.toThrow();
    expect(() => requirePrivs(req, sim.context, "/vms/100", ["VM.Clone", "VM.Allocate"])).toThrow("Permission check failed (/vms/100, VM.Allocate)");
    expect(() => requirePrivs(req, sim.context, "/storage/local", ["Datastore.AllocateSpace", "Datastore.Audit"], true)).toThrow(
      "Permission check failed (/storage/local, Datastore.AllocateSpace|Datastore.Audit)",
    );
  });

  it("reports effective permissions of the caller", async () => {
    const token = await userWithToken("ops@pve", 0);
    await grant("/vms", "PVEAuditor", { users: "ops@pve" });
    const r = await pveCall(sim, "GET", "/access/permissions", { token, args: { path: "/vms/100" } });
    expect(r.status).toBe(200);
    expect(r.body.data["/vms/100"]["VM.Audit"]).toBe(1);
    expect(r.body.data["/vms/100"]["VM.Allocate"]).toBeUndefined();
  });

  it("dumps the top-level, ACL and pool-member paths without `path`, as PVE's get_effective_permissions", async () => {
    // GIVEN a pool holding storage "local", granted to an auditor user
    expect((await root("POST", "/pools", { poolid: "shop" })).status).toBe(200);
    expect((await root("PUT", "/pools/shop", { storage: "local" })).status).toBe(200);
    const token = await userWithToken("ops@pve", 0);
    await grant("/pool/shop", "PVEAuditor", { users: "ops@pve" });

    // WHEN the token asks for its whole permission tree
    const r = await pveCall(sim, "GET", "/access/permissions", { token });

    // THEN only paths where it holds something are listed: the ACL path and the pool's storage
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.data).sort()).toEqual(["/pool/shop", "/storage/local"]);
    expect(r.body.data["/storage/local"]["Datastore.Audit"]).toBe(1);
  });

  it("answers a given path even where the caller holds nothing (an empty map)", async () => {
    const token = await userWithToken("nobody@pve", 0);
    const r = await pveCall(sim, "GET", "/access/permissions", { token, args: { path: "/vms" } });
    expect([r.status, r.body.data]).toEqual([200, { "/vms": {} }]);
  });
});
