import * as tls from "tls";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { allRoutes } from "../../../sim/routes";
import { pveCall } from "../../e2e/harness/pve-client";

/** Calls PVE answers without authentication. */
const PUBLIC = new Set(["GET /access/ticket", "POST /access/ticket", "GET /access/domains"]);

/** A concrete path for a template, with plausible parameter values. */
function concretePath(template: string): string {
  const values: Record<string, string> = {
    node: "pve1",
    vmid: "100",
    userid: "root%40pam",
    upid: "UPID:pve1:00001000:00000000:00000000:qmstart:100:root@pam:",
  };
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? "x1");
}

const protectedRoutes = allRoutes.filter((r) => !PUBLIC.has(`${r.method} ${r.template}`)).map((r) => [r.method, r.template] as const);

describe("simulator authentication", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());

  it("covers every registered route family", () => {
    // A generated list that silently shrank to nothing would make the 401 tests vacuous.
    expect(protectedRoutes.length).toBeGreaterThan(20);
  });

  it.each(protectedRoutes)("answers 401 to %s %s without credentials", async (method, template) => {
    const r = await pveCall(sim, method, concretePath(template));
    expect(r.status).toBe(401);
  });

  it.each(protectedRoutes)("answers 401 to %s %s with a wrong token secret", async (method, template) => {
    const wrong = sim.apiToken.replace(/=.*/, "=00000000-0000-0000-0000-000000000000");
    const r = await pveCall(sim, method, concretePath(template), { token: wrong });
    expect(r.status).toBe(401);
  });

  it("answers 401 to an unknown path without credentials before revealing that it does not exist", async () => {
    expect((await pveCall(sim, "GET", "/no/such/path")).status).toBe(401);
  });

  it("accepts the bootstrap root token", async () => {
    const r = await pveCall(sim, "GET", "/version", { token: sim.apiToken });
    expect(r.status).toBe(200);
    expect(r.body.data.version).toBe("9.1.3");
  });

  it("serves the realm list without authentication, as the login box needs it", async () => {
    const r = await pveCall(sim, "GET", "/access/domains");
    expect(r.status).toBe(200);
    expect(r.body.data.map((d: { realm: string }) => d.realm)).toEqual(["pam", "pve"]);
  });

  describe("tickets", () => {
    async function login(password: string) {
      return pveCall(sim, "POST", "/access/ticket", { args: { username: "root@pam", password } });
    }

    it("issues a ticket and CSRF token for a correct password", async () => {
      const r = await login(sim.rootPassword);
      expect(r.status).toBe(200);
      expect(r.body.data.username).toBe("root@pam");
      expect(r.body.data.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::/);
      expect(r.body.data.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:/);
    });

    it("refuses a wrong password with 401", async () => {
      expect((await login("not-the-password")).status).toBe(401);
    });

    it("accepts the ticket cookie on GET without a CSRF token", async () => {
      const { ticket } = (await login(sim.rootPassword)).body.data;
      const r = await pveCall(sim, "GET", "/access/users", { headers: { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` } });
      expect(r.status).toBe(200);
    });

    it("requires the CSRF token on a POST made with a ticket", async () => {
      const { ticket, CSRFPreventionToken } = (await login(sim.rootPassword)).body.data;
      const cookie = { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` };
      const args = { roleid: "TicketRole", privs: "VM.Audit" };
      const without = await pveCall(sim, "POST", "/access/roles", { args, headers: cookie });
      expect(without.status).toBe(401);
      const withCsrf = await pveCall(sim, "POST", "/access/roles", { args, headers: { ...cookie, CSRFPreventionToken } });
      expect(withCsrf.status).toBe(200);
    });

    it("rejects a ticket whose signature was tampered with", async () => {
      const { ticket } = (await login(sim.rootPassword)).body.data;
      const forged = ticket.replace(/::.*/, "::AAAA");
      const r = await pveCall(sim, "GET", "/version", { headers: { Cookie: `PVEAuthCookie=${encodeURIComponent(forged)}` } });
      expect(r.status).toBe(401);
    });
  });

  describe("transport", () => {
    it("listens on 127.0.0.1 only", () => {
      expect(new URL(sim.endpoint).hostname).toBe("127.0.0.1");
    });

    it("refuses TLS 1.2 clients", async () => {
      const outcome = await new Promise<string>((resolve) => {
        const socket = tls.connect({ host: "127.0.0.1", port: sim.port, maxVersion: "TLSv1.2", rejectUnauthorized: false }, () => {
          resolve(`connected with ${socket.getProtocol()}`);
          socket.end();
        });
        socket.on("error", (e) => resolve(`error: ${e.message}`));
      });
      expect(outcome).toMatch(/^error/);
    });
  });
});
