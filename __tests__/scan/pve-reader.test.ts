import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { PveConnection } from "../../pve/pve-client";
import { ensureCertificates } from "../../sim/tls";
import { PveReader } from "../../scan/pve-reader";
import { readLiveSnapshot } from "../../scan/read-live-snapshot";
import { RunningSimulator, startSimulator } from "../../sim";

/** A simulator with `faults`, counting the GETs of each path it answers. */
async function simWith(faults: string): Promise<{ sim: RunningSimulator; conn: PveConnection; gets: Map<string, number[]> }> {
  const gets = new Map<string, number[]>();
  const sim = await startSimulator({
    faults,
    seed: 7,
    onRequest: (method, path, status) => {
      if (method === "GET") gets.set(path, [...(gets.get(path) ?? []), status]);
    },
  });
  return { sim, conn: { endpoint: sim.endpoint, apiToken: sim.apiToken, caCertPath: sim.caCertPath }, gets };
}

describe("PveReader", () => {
  const running: RunningSimulator[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
  });

  it("retries a server error and returns the answer that follows", async () => {
    // GIVEN an API that answers 503 to every other GET of /version (seeded)
    const { sim, conn, gets } = await simWith("GET:/version=503@0.5");
    running.push(sim);
    // WHEN reading it with retries
    const version = await new PveReader(conn, { retries: 10, backoffMs: 1 }).get<{ version: string }>("/version");
    // THEN the reader returns PVE's data, and the statuses it saw end with the success
    expect(typeof version.version).toBe("string");
    expect(gets.get("/version")?.at(-1)).toBe(200);
    expect(gets.get("/version")).toContain(503);
  });

  it("gives up after the bounded number of attempts on a server that keeps failing", async () => {
    // GIVEN an API that always answers 503
    const { sim, conn, gets } = await simWith("GET:/version=503@1");
    running.push(sim);
    // WHEN reading with 2 retries THEN it fails after exactly 3 attempts, naming the path
    await expect(new PveReader(conn, { retries: 2, backoffMs: 1 }).get("/version")).rejects.toThrow(/GET \/version: 503 .*\(gave up after 3 attempts\)/);
    expect(gets.get("/version")).toEqual([503, 503, 503]);
  });

  it("does not retry a refusal and says which role scan needs", async () => {
    // GIVEN a token without any ACL
    const { sim, conn, gets } = await simWith("");
    running.push(sim);
    const created = await fetchToken(sim);
    // WHEN it reads the datacenter firewall THEN one 403, and the message names PVEAuditor but not the secret
    const attempt = new PveReader({ ...conn, apiToken: created }).get("/cluster/firewall/options");
    await expect(attempt).rejects.toThrow(/403 .*PVEAuditor role on \//);
    await attempt.catch((e: Error) => expect(e.message).not.toContain(created.split("=")[1]));
    expect(gets.get("/cluster/firewall/options")).toEqual([403]);
  });

  it("refuses a cluster with more guests than the limit before reading any guest", async () => {
    // GIVEN three VMs
    const { sim, conn, gets } = await simWith("");
    running.push(sim);
    const { pveRequest } = await import("../../pve/pve-client");
    for (const vmid of [100, 101, 102]) await pveRequest(conn, "POST", "/nodes/pve1/qemu", { vmid });
    // WHEN scanning with a limit of 2 THEN it refuses, naming the count and the option
    await expect(readLiveSnapshot(new PveReader(conn), { maxGuests: 2 })).rejects.toThrow(
      "the cluster has 3 guests, more than the limit of 2: raise it with --max-guests 3",
    );
    expect([...gets.keys()].filter((p) => p.endsWith("/config"))).toEqual([]);
  });

  it("never has more requests in flight than its concurrency", async () => {
    // GIVEN a TLS server on 127.0.0.1 that holds each GET until a third arrives (or a while has
    // passed), counting how many it holds at once: a reader that sent more than two would be seen
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reader-tls-"));
    const certs = await ensureCertificates(dir);
    const held: http.ServerResponse[] = [];
    let most = 0;
    let served = 0;
    const release = () => {
      for (const res of held.splice(0)) res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ data: { served: ++served } }));
    };
    const server = https.createServer({ key: fs.readFileSync(certs.serverKeyPath), cert: fs.readFileSync(certs.serverCertPath) }, (_req, res) => {
      held.push(res);
      most = Math.max(most, held.length);
      if (held.length >= 3) release();
      else setTimeout(release, 150);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const reader = new PveReader(
        { endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`, apiToken: "x@pve!y=z", caCertPath: certs.caCertPath },
        { concurrency: 2 },
      );
      // WHEN eight reads start at once
      await Promise.all(Array.from({ length: 8 }, (_, i) => reader.get(`/nodes/n${i}`)));
      // THEN all were served, never more than two at a time
      expect(served).toBe(8);
      expect(most).toBeLessThanOrEqual(2);
      expect(reader.requests).toBe(8);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["concurrency", 0],
    ["retries", -1],
    ["timeoutMs", 1.5],
  ])("refuses option %s = %p", (name, value) => {
    expect(() => new PveReader({ endpoint: "https://127.0.0.1:1/", apiToken: "x@pve!y=z" }, { [name]: value })).toThrow(`PveReader option ${name}`);
  });
});

/** A token of a fresh user with no ACL at all. */
async function fetchToken(sim: RunningSimulator): Promise<string> {
  const { pveRequest } = await import("../../pve/pve-client");
  const conn = { endpoint: sim.endpoint, apiToken: sim.apiToken, caCertPath: sim.caCertPath };
  await pveRequest(conn, "POST", "/access/users", { userid: "nobody@pve" });
  const t = await pveRequest<{ "full-tokenid": string; value: string }>(conn, "POST", "/access/users/nobody@pve/token/nothing", { privsep: 1 });
  return `${t["full-tokenid"]}=${t.value}`;
}
