import { accessState } from "../../../sim/access-model";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { routes as accessRoutes } from "../../../sim/routes/access";
import { pveCall } from "../../e2e/harness/pve-client";

describe("simulator access routes (wire shapes bpg/proxmox decodes)", () => {
  let sim: RunningSimulator;
  const call = (method: string, path: string, args?: Record<string, string | number>) => pveCall(sim, method, path, { token: sim.apiToken, args });
  beforeEach(async () => {
    sim = await startSimulator({ routes: accessRoutes });
    await call("POST", "/access/groups", { groupid: "ops" });
    await call("POST", "/access/users", { userid: "a@pve", groups: "ops", comment: "", email: "a@example.com", expire: 0, enable: 1 });
  });
  afterEach(() => sim.stop());

  it("lists users with groups as a JSON array only when full=1", async () => {
    const brief = (await call("GET", "/access/users")).body.data.find((u: { userid: string }) => u.userid === "a@pve");
    expect(brief.groups).toBeUndefined();
    const full = (await call("GET", "/access/users", { full: 1 })).body.data.find((u: { userid: string }) => u.userid === "a@pve");
    expect(full.groups).toEqual(["ops"]);
    expect(full.tokens).toEqual([]);
  });

  it("stores no empty text fields, so unset fields read back as absent", async () => {
    const user = (await call("GET", "/access/users/a%40pve")).body.data;
    expect(user).toEqual({ enable: 1, expire: 0, email: "a@example.com", groups: ["ops"] });
  });

  it("answers a token's secret only at creation", async () => {
    const created = (await call("POST", "/access/users/a%40pve/token/ci", { comment: "c" })).body.data;
    expect(created).toEqual({ "full-tokenid": "a@pve!ci", info: { privsep: 1, expire: 0, comment: "c" }, value: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await call("GET", "/access/users/a%40pve/token/ci")).body.data).toEqual({ privsep: 1, expire: 0, comment: "c" });
    const again = await call("POST", "/access/users/a%40pve/token/ci");
    expect(again.status).toBe(500);
    expect(again.statusMessage).toBe("Token already exists.");
  });

  it("answers a role as an object of privileges, and refuses to change built-in roles", async () => {
    await call("POST", "/access/roles", { roleid: "R", privs: "VM.Console,VM.Audit" });
    expect((await call("GET", "/access/roles/R")).body.data).toEqual({ "VM.Audit": 1, "VM.Console": 1 });
    const listed = (await call("GET", "/access/roles")).body.data.find((r: { roleid: string }) => r.roleid === "R");
    expect(listed).toEqual({ roleid: "R", privs: "VM.Audit,VM.Console", special: 0 });
    expect((await call("PUT", "/access/roles/PVEAdmin", { privs: "VM.Audit" })).status).toBe(500);
    const missing = await call("GET", "/access/roles/Nope");
    expect(missing.statusMessage).toBe("role 'Nope' does not exist");
  });

  it("adds and removes ACL entries, with propagate defaulting to 1", async () => {
    await call("PUT", "/access/acl", { path: "/vms/", roles: "PVEVMUser", users: "a@pve" });
    expect((await call("GET", "/access/acl")).body.data).toEqual([{ path: "/vms", type: "user", ugid: "a@pve", roleid: "PVEVMUser", propagate: 1 }]);
    await call("PUT", "/access/acl", { path: "/vms", roles: "PVEVMUser", users: "a@pve", delete: 1 });
    expect((await call("GET", "/access/acl")).body.data).toEqual([]);
  });

  it("refuses ACLs on paths PVE does not know and for subjects that do not exist", async () => {
    const badPath = await call("PUT", "/access/acl", { path: "/vm/100", roles: "PVEVMUser", users: "a@pve" });
    expect(badPath.body.errors).toEqual({ path: "invalid ACL path '/vm/100'" });
    const nobody = await call("PUT", "/access/acl", { path: "/vms", roles: "PVEVMUser", users: "nobody@pve" });
    expect(nobody.statusMessage).toBe("user 'nobody@pve' does not exist");
  });

  it("removes a user's tokens and ACL entries with the user", async () => {
    await call("POST", "/access/users/a%40pve/token/ci");
    await call("PUT", "/access/acl", { path: "/", roles: "PVEAuditor", users: "a@pve", tokens: "a@pve!ci" });
    expect(accessState(sim.state).acl).toHaveLength(2);
    await call("DELETE", "/access/users/a%40pve");
    expect(accessState(sim.state).acl).toEqual([]);
    expect((await call("GET", "/access/users/a%40pve")).statusMessage).toBe("no such user ('a@pve')");
  });
});
