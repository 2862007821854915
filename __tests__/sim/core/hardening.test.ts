import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { accessState } from "../../../sim/access-model";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { allRoutes } from "../../../sim/routes";
import { SimState } from "../../../sim/sim-state";
import { loadStateFile } from "../../../sim/state-file";
import { pveCall, PveTarget } from "../../e2e/harness/pve-client";
import { startSimProcess, writeLargeState } from "./sim-process";

interface RawAnswer {
  readonly status: number;
  readonly statusMessage: string;
  readonly text: string;
}

/**
 * Sends a POST whose headers declare `declaredBytes` but writes only `sentBytes` of it (or, with
 * `chunked`, up to `chunks` chunks of 64 KiB), and resolves with the answer as soon as it arrives.
 */
function partialPost(
  sim: PveTarget,
  apiPath: string,
  body: { readonly declaredBytes?: number; readonly sentBytes?: number; readonly chunks?: number },
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...headers };
    if (body.declaredBytes !== undefined) all["Content-Length"] = String(body.declaredBytes);
    const req = https.request(
      `${sim.endpoint}api2/json${apiPath}`,
      { method: "POST", headers: all, ca: fs.readFileSync(sim.caCertPath), timeout: 30_000 },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", text });
          req.destroy();
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
    // The server may close the connection while we still write: that is the point.
    req.on("error", (e) => (/EPIPE|ECONNRESET|socket hang up/.test(e.message) ? undefined : reject(e)));
    if (body.sentBytes !== undefined) req.write(Buffer.alloc(body.sentBytes, 0x61));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = body.chunks ?? 0;
    const pump = (): void => {
      while (left > 0) {
        left--;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    if (body.chunks !== undefined) pump();
  });
}

/** Sends one request with a raw body (what pveCall cannot express) and resolves with the answer. */
function rawRequest(sim: PveTarget, method: string, apiPath: string, headers: Record<string, string>, body: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${sim.endpoint}api2/json${apiPath}`, { method, headers, ca: fs.readFileSync(sim.caCertPath) }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("simulator hardening", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());

  describe("request bodies", () => {
    it("answers 401 to an unauthenticated 50 MB POST without reading its body", async () => {
      // GIVEN a POST declaring 50 MB of which only 64 KiB are ever sent
      // WHEN it reaches the simulator without credentials
      const answer = await partialPost(sim, "/access/users", { declaredBytes: 50 * 1024 * 1024, sentBytes: 64 * 1024 });
      // THEN the 401 arrives although the body never did: authentication did not wait for it
      expect(answer.status).toBe(401);
    });

    it("answers pveproxy's 501 'for data too large' to an authenticated body over 512 KiB, unread", async () => {
      // GIVEN an authenticated POST declaring 1 MiB, of which 64 KiB are sent
      const answer = await partialPost(
        sim,
        "/access/users",
        { declaredBytes: 1024 * 1024, sentBytes: 64 * 1024 },
        { Authorization: `PVEAPIToken=${sim.apiToken}` },
      );
      // THEN PVE's answer comes without the rest of the body
      expect(answer.status).toBe(501);
      expect(answer.statusMessage).toBe("for data too large");
    });

    it("refuses a body on a GET as pveproxy does (501 'Unexpected content for method')", async () => {
      const headers = { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "3", Authorization: `PVEAPIToken=${sim.apiToken}` };
      const answer = await rawRequest(sim, "GET", "/version", headers, "a=1");
      expect(answer.status).toBe(501);
      expect(answer.statusMessage).toBe("Unexpected content for method 'GET'");
    });

    it("cuts off a chunked body without a length at 512 KiB", async () => {
      // GIVEN an authenticated chunked POST of up to 4 MiB
      const answer = await partialPost(sim, "/access/users", { chunks: 64 }, { Authorization: `PVEAPIToken=${sim.apiToken}` });
      // THEN it is refused as too large, and nothing was created
      expect(answer.status).toBe(501);
      expect(Object.keys(accessState(sim.state).users)).toEqual(["root@pam"]);
    });

    it("reads and validates a body under the limit", async () => {
      // GIVEN a 400 KiB form body (under pveproxy's 512 KiB)
      const r = await pveCall(sim, "POST", "/access/users", { token: sim.apiToken, args: { userid: "small@pve", comment: "c".repeat(400 * 1024) } });
      // THEN it reaches parameter validation (the comment is too long for the schema), not the size limit
      expect(r.status).toBe(400);
      expect(Object.keys(r.body.errors)).toEqual(["comment"]);
    });
  });

  describe("repeated and nested arguments", () => {
    /** POSTs a raw form body (pveCall cannot repeat a key). */
    const postForm = (apiPath: string, form: string): Promise<RawAnswer> =>
      rawRequest(sim, "POST", apiPath, { "Content-Type": "application/x-www-form-urlencoded", Authorization: `PVEAPIToken=${sim.apiToken}` }, form);

    it("refuses a repeated userid as PVE's check_type does, and creates nothing", async () => {
      // WHEN userid is given twice in the body
      const answer = await postForm("/access/users", "userid=a%40pve&userid=b%40pve");
      // THEN 400, naming the parameter, and no user with a NUL in its id exists
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).errors).toEqual({ userid: "type check ('string') failed - got ARRAY" });
      expect(Object.keys(accessState(sim.state).users).filter((u) => u.includes("\0"))).toEqual([]);
    });

    it("lets a query argument replace the body argument of the same name, as extract_params does", async () => {
      const answer = await postForm("/access/users?userid=query%40pve", "userid=body%40pve");
      expect(answer.status).toBe(200);
      expect(Object.keys(accessState(sim.state).users)).toContain("query@pve");
      expect(Object.keys(accessState(sim.state).users)).not.toContain("body@pve");
      await pveCall(sim, "DELETE", "/access/users/query%40pve", { token: sim.apiToken });
    });

    it("answers 400 to deeply nested JSON instead of overflowing the stack", async () => {
      // GIVEN a JSON body nested 100000 levels deep
      const nested = `{"userid":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
      const answer = await rawRequest(
        sim,
        "POST",
        "/access/users",
        { "Content-Type": "application/json", Authorization: `PVEAPIToken=${sim.apiToken}` },
        nested,
      );
      // THEN a 400 that names the nesting, not a 500 stack overflow
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(/maximum nesting level/);
      expect(answer.text).not.toMatch(/call stack/i);
    });
  });

  describe("prototype-safe lookups", () => {
    const HOSTILE = ["constructor", "__proto__", "prototype"];
    /** Text of a JavaScript error leaking out of a handler, as opposed to a PVE message. */
    const JS_ERROR = /is not a function|Cannot read prop|Cannot convert|undefined|is not iterable|call stack|\[object /;
    /** PVE's answers that do not name the id they refuse. */
    const PVE_TEXTS_WITHOUT_ID = [/^no options specified$/, /ha groups have been migrated to rules$/];

    it.each(HOSTILE)("answers 401 on every route to API token id %s", async (bad) => {
      // GIVEN root@pam's secret with the token id replaced by a name every JS object inherits
      const token = sim.apiToken.replace(/!sim=/, `!${bad}=`);
      const statuses = new Set<number>();
      for (const r of allRoutes) {
        if (r.template === "/access/ticket" || r.template === "/access/domains") continue;
        const answer = await pveCall(sim, r.method, r.template.replace(/\{node\}/g, "pve1").replace(/\{[^}]+\}/g, "x1"), { token });
        statuses.add(answer.status);
      }
      // THEN authentication fails everywhere, never with a 500
      expect([...statuses]).toEqual([401]);
    });

    it.each(HOSTILE)("never answers a JavaScript error or an invented object for id %s in any path parameter", async (bad) => {
      const problems: string[] = [];
      for (const r of allRoutes) {
        if (!/\{(?!node\})[^}]+\}/.test(r.template)) continue;
        const apiPath = r.template.replace(/\{([^}]+)\}/g, (_, n: string) => (n === "node" ? "pve1" : encodeURIComponent(bad)));
        const answer = await pveCall(sim, r.method, apiPath, { token: sim.apiToken });
        const message = String(answer.body?.message ?? "").trim();
        const where = `${answer.status} ${r.method} ${apiPath}: ${message || JSON.stringify(answer.body)}`;
        if (answer.status === 500 && (JS_ERROR.test(message) || !(message.includes(bad) || PVE_TEXTS_WITHOUT_ID.some((re) => re.test(message)))))
          problems.push(where);
        if (r.method === "GET" && answer.status === 200 && /\}$/.test(r.template)) problems.push(`invented object: ${where}`);
      }
      expect(problems).toEqual([]);
      // AND nothing was created under the hostile id along the way
      expect(JSON.stringify(sim.state.toJSON())).not.toContain(`"${bad}"`);
    });

    it.each(HOSTILE)("creates and reads back a role and a group called %s like any other id", async (bad) => {
      const token = sim.apiToken;
      const id = encodeURIComponent(bad);
      expect((await pveCall(sim, "POST", "/access/roles", { token, args: { roleid: bad, privs: "VM.Audit" } })).status).toBe(200);
      expect((await pveCall(sim, "GET", `/access/roles/${id}`, { token })).body.data).toEqual({ "VM.Audit": 1 });
      expect((await pveCall(sim, "POST", "/access/groups", { token, args: { groupid: bad } })).status).toBe(200);
      expect((await pveCall(sim, "GET", `/access/groups/${id}`, { token })).body.data).toEqual({ members: [] });
      // The object's prototype was not replaced: other ids still read as missing
      expect((await pveCall(sim, "GET", "/access/roles/Nope", { token })).status).toBe(500);
      for (const p of [`/access/roles/${id}`, `/access/groups/${id}`]) await pveCall(sim, "DELETE", p, { token });
    });
  });

  describe("file names and volume ids", () => {
    function multipart(filename: string, content: string): { body: Buffer; type: string } {
      const boundary = "----sim-test-boundary";
      const body = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\n${content}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="filename"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\nISO-BYTES\r\n` +
          `--${boundary}--\r\n`,
      );
      return { body, type: `multipart/form-data; boundary=${boundary}` };
    }

    function upload(filename: string): Promise<RawAnswer> {
      const { body, type } = multipart(filename, "iso");
      return rawRequest(
        sim,
        "POST",
        "/nodes/pve1/storage/local/upload",
        { "Content-Type": type, "Content-Length": String(body.length), Authorization: `PVEAPIToken=${sim.apiToken}` },
        body,
      );
    }

    /** Waits (bounded) until the task ends; answers its exit status. */
    async function taskEnd(upid: string): Promise<string> {
      for (let i = 0; i < 200; i++) {
        const r = await pveCall(sim, "GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`, { token: sim.apiToken });
        if (r.body.data.status === "stopped") return r.body.data.exitstatus;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`task ${upid} still running after 200 polls`);
    }

    async function isoVolids(): Promise<string[]> {
      const r = await pveCall(sim, "GET", "/nodes/pve1/storage/local/content", { token: sim.apiToken, args: { content: "iso" } });
      return (r.body.data as Array<{ volid: string }>).map((v) => v.volid);
    }

    it("stores an uploaded '../../etc/evil.iso' under its base name, as normalize_content_filename does", async () => {
      const answer = await upload("../../etc/evil.iso");
      expect(answer.status).toBe(200);
      expect(await taskEnd(JSON.parse(answer.text).data)).toBe("OK");
      expect(await isoVolids()).toContain("local:iso/evil.iso");
      expect((await isoVolids()).filter((v) => v.includes(".."))).toEqual([]);
    });

    it("replaces a NUL and other unsafe characters of a download-url file name with '_'", async () => {
      const r = await pveCall(sim, "POST", "/nodes/pve1/storage/local/download-url", {
        token: sim.apiToken,
        args: { content: "iso", url: "https://images.invalid/x.iso", filename: "/abs/dir/bad\0 name.iso" },
      });
      expect(r.status).toBe(200);
      expect(await taskEnd(r.body.data)).toBe("OK");
      expect(await isoVolids()).toContain("local:iso/bad__name.iso");
    });

    it("refuses a volume id that climbs out of its directory with pve-storage's parse error", async () => {
      const volid = encodeURIComponent("local:iso/../../../etc/passwd");
      const r = await pveCall(sim, "DELETE", `/nodes/pve1/storage/local/content/${volid}`, { token: sim.apiToken });
      expect(r.status).toBe(500);
      expect(r.body.message).toMatch(/unable to parse directory volume name 'iso\/\.\.\/\.\.\/\.\.\/etc\/passwd'/);
    });
  });
});

describe("simulator saves before it answers", () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-ack-"));
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps an acknowledged change when the process is killed right after the 200", async () => {
    // GIVEN a simulator process on a state file of several MB, so a save takes longer than an
    // answer needs to reach the client
    const stateFile = path.join(dir, "state.json");
    await writeLargeState(stateFile);
    const started = await startSimProcess(stateFile);
    child = started.child;
    const target = started.target;

    // WHEN a user is created and the process is killed the moment its 200 arrives
    const r = await pveCall(target, "POST", "/access/users", { token: target.apiToken, args: { userid: "acked@pve" } });
    const exited = new Promise((resolve) => started.child.once("exit", resolve));
    started.child.kill("SIGKILL");
    await exited;
    expect(r.status).toBe(200);

    // THEN the state file already holds the user
    const state = new SimState(loadStateFile(stateFile));
    expect(Object.keys(accessState(state).users)).toContain("acked@pve");
  });
});
