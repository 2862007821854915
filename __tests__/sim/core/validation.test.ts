import { ApiSchema, SchemaMethod } from "../../../sim/api-schema";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { validateParams } from "../../../sim/param-validation";
import { pveCall } from "../../e2e/harness/pve-client";

const schema = ApiSchema.bundled();
const method = (template: string, m: "GET" | "POST" | "PUT" | "DELETE"): SchemaMethod => {
  const found = schema.method(template, m);
  if (!found) throw new Error(`test setup: ${m} ${template} not in schema`);
  return found;
};

describe("schema validation of parameters", () => {
  const createVm = method("/nodes/{node}/qemu", "POST");
  const vm = (extra: Record<string, string>) => validateParams(createVm, { node: "pve1", vmid: "100", ...extra });

  it("accepts PVE's boolean spellings and rejects others", () => {
    for (const b of ["1", "0", "true", "false", "on", "off", "yes", "no"]) expect(vm({ onboot: b })).toEqual({});
    expect(vm({ onboot: "maybe" })).toEqual({ onboot: "type check ('boolean') failed - got 'maybe'" });
  });

  it("rejects non-integers, and integers out of range", () => {
    expect(vm({ cores: "two" })).toEqual({ cores: "type check ('integer') failed - got 'two'" });
    expect(vm({ cores: "0" })).toEqual({ cores: "value must have a minimum value of 1" });
  });

  it("rejects a VM id that is not a pve-vmid", () => {
    expect(validateParams(createVm, { node: "pve1", vmid: "99" })).toEqual({ vmid: "value must have a minimum value of 100" });
  });

  it("reports missing required parameters", () => {
    expect(validateParams(createVm, { node: "pve1" })).toEqual({ vmid: "property is missing and it is not optional" });
  });

  it("resolves indexed parameters within PVE's limits", () => {
    expect(vm({ net31: "virtio,bridge=vmbr0" })).toEqual({});
    expect(vm({ net32: "virtio,bridge=vmbr0" })).toEqual({
      net32: "property is not defined in schema and the schema does not allow additional properties",
    });
  });

  it("validates property strings key by key", () => {
    expect(vm({ net0: "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1" })).toEqual({});
    expect(vm({ net0: "model=virtio,bridge=vmbr0,tag=10" })).toEqual({});
    expect(vm({ net0: "model=bogus,bridge=vmbr0" }).net0).toMatch(
      /^invalid format - format error\nnet0.model: value 'bogus' does not have a value in the enumeration/,
    );
    expect(vm({ net0: "virtio,bridge=vmbr0,speed=9" }).net0).toBe("invalid format - invalid key in comma-separated list property: speed");
    expect(vm({ net0: "bridge=vmbr0" }).net0).toBe("invalid format - format error\nnet0.model: property is missing and it is not optional");
    expect(vm({ net0: "virtio,tag=5000" }).net0).toBe("invalid format - format error\nnet0.tag: value must have a maximum value of 4094");
  });

  it("checks patterns written in Perl syntax", () => {
    const token = method("/access/users/{userid}/token/{tokenid}", "POST");
    expect(validateParams(token, { userid: "a@pve", tokenid: "ok-name" })).toEqual({});
    expect(validateParams(token, { userid: "a@pve", tokenid: "1bad" })).toEqual({ tokenid: "value does not match the regex pattern" });
  });

  it("checks named formats, lists included", () => {
    const acl = method("/access/acl", "PUT");
    expect(validateParams(acl, { path: "/", roles: "PVEAuditor", users: "a@pve,b@pve" })).toEqual({});
    expect(validateParams(acl, { path: "/", roles: "PVEAuditor", users: "a@pve,nobody" })).toEqual({
      users: "invalid format - value 'nobody' does not look like a valid user name",
    });
    const role = method("/access/roles", "POST");
    expect(validateParams(role, { roleid: "R", privs: "VM.Audit,VM.Nope" })).toEqual({ privs: "invalid format - invalid privilege 'VM.Nope'" });
  });

  it("enforces maxLength", () => {
    const user = method("/access/users", "POST");
    expect(validateParams(user, { userid: "a@pve", comment: "x".repeat(2049) })).toEqual({ comment: "value may only be 2048 characters long" });
  });
});

describe("simulator wire format", () => {
  let sim: RunningSimulator;
  const call = (m: string, path: string, args?: Record<string, string>, rawPath = false) => pveCall(sim, m, path, { token: sim.apiToken, args, rawPath });
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());

  it("answers 400 with the errors map for an unknown parameter and a bad enum value", async () => {
    const r = await call("GET", "/cluster/resources", { type: "vms", bogus: "1" });
    expect(r.status).toBe(400);
    expect(r.statusMessage).toBe("Parameter verification failed.");
    expect(r.body).toMatchObject({
      data: null,
      errors: {
        type: "value 'vms' does not have a value in the enumeration 'vm', 'storage', 'node', 'sdn'",
        bogus: "property is not defined in schema and the schema does not allow additional properties",
      },
    });
  });

  it("does not count path parameters as unknown", async () => {
    expect((await call("GET", "/nodes/pve1/status")).status).toBe(200);
  });

  it("unescapes each path segment after splitting, and accepts trailing slashes", async () => {
    await call("POST", "/access/users", { userid: "esc@pve" });
    expect((await call("GET", "/access/users/esc%40pve/")).status).toBe(200);
    // %2F stays inside its segment: the route is found and the value reaches validation
    const slash = await call("GET", "/access/users/a%2Fb%40pve");
    expect(slash.status).toBe(400);
    expect(slash.body.errors.userid).toBe("value 'a/b@pve' does not look like a valid user name");
  });

  it("answers an unknown path with PVE's 501", async () => {
    const r = await call("GET", "/nodes/pve1/no-such-thing");
    expect(r.status).toBe(501);
    expect(r.statusMessage).toBe("Method 'GET /nodes/pve1/no-such-thing' not implemented");
  });

  it("answers paths outside /api2/json with 404", async () => {
    expect((await call("GET", "/index.html", undefined, true)).status).toBe(404);
  });

  it("answers empty lists as [] inside the data envelope", async () => {
    const r = await call("GET", "/access/groups");
    expect(r.body).toEqual({ data: [] });
  });

  it("reports a conflicting duplicate of a path parameter as a parameter error", async () => {
    const r = await call("GET", "/access/users/root%40pam", { userid: "other@pve" });
    // GET arguments go to the query string, where userid collides with the path's
    expect(r.status).toBe(400);
    expect(r.body.errors.userid).toBe("duplicate parameter (already defined in URI) with conflicting values");
  });
});
