/**
 * Honest targets and early failures, through the CLI as a user runs it: a non-dev environment
 * never lands on the embedded simulator by accident, the pg backend without PG_CONN_STR stops
 * before terraform init, a usage error runs nothing, and `doctor --target` names the privilege a
 * token lacks (checked against the simulator's GET /access/permissions, with PVE's semantics).
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { TerraformAccess } from "../../../constructs/terraform-access";
import { preflightTarget } from "../../../deploy/target-preflight";
import { resolveTarget } from "../../../deploy/target";
import { RunningSimulator, startSimulator } from "../../../sim";
import { addEnvironmentStacks } from "../../../stacks/environment-app";
import { STATE_BACKEND_ENV } from "../../../stacks/environment-stack";
import { pveCall } from "../harness/pve-client";
import { runCli, tempProject } from "./cli-project";

const project = tempProject(["dev", "prod"]);

describe("which target a run uses", () => {
  it("refuses the embedded simulator for a prod environment when PROXMOX_VE_ENDPOINT is unset", async () => {
    await expect(resolveTarget({ root: project.root, env: "prod", environment: {} })).rejects.toThrow(
      'PROXMOX_VE_ENDPOINT is not set and environments/prod.yaml is stage "prod": set PROXMOX_VE_ENDPOINT and PROXMOX_VE_API_TOKEN to target Proxmox VE, or choose the embedded simulator explicitly with --sim (PROXMOX_CDK_TARGET=sim in scripts).',
    );
    expect(fs.existsSync(project.simStateFile)).toBe(false);
  });

  it.each([
    ["a dev environment", { env: "dev", environment: {} }],
    ["prod with --sim", { env: "prod", sim: true, environment: {} }],
    ["prod with PROXMOX_CDK_TARGET=sim", { env: "prod", environment: { PROXMOX_CDK_TARGET: "sim" } }],
  ])("uses the embedded simulator for %s", async (_what, opts) => {
    const target = await resolveTarget({ root: project.root, ...opts });
    try {
      expect([target.simulated, target.description]).toEqual([true, expect.stringMatching(/^embedded PVE simulator at https:\/\/127\.0\.0\.1:\d+/)]);
    } finally {
      await target.stop();
    }
  });

  it("refuses --sim together with PROXMOX_VE_ENDPOINT, and an unknown PROXMOX_CDK_TARGET", async () => {
    await expect(
      resolveTarget({ root: project.root, env: "prod", sim: true, environment: { PROXMOX_VE_ENDPOINT: "https://pve.example:8006/" } }),
    ).rejects.toThrow("--sim asks for the embedded simulator but PROXMOX_VE_ENDPOINT is set (https://pve.example:8006/): unset one of them.");
    await expect(resolveTarget({ root: project.root, env: "dev", environment: { PROXMOX_CDK_TARGET: "real" } })).rejects.toThrow(
      'PROXMOX_CDK_TARGET="real" is not a target',
    );
  });
});

describe("failing before anything runs", () => {
  // A project of its own: the target tests above start the simulator on theirs.
  const project = tempProject(["dev", "prod"]);
  const exists = (rel: string) => fs.existsSync(path.join(project.root, rel));

  it("up dev --no-such-flag exits 64 and creates nothing: no simulator, no state, no synth output", async () => {
    const r = await runCli(project, ["up", "dev", "--no-such-flag"]);
    expect([r.exitCode, r.stderr]).toEqual([64, expect.stringContaining("Unknown option '--no-such-flag'.")]);
    // (first in this project: nothing before it wrote anything either)
    expect([exists(".state"), exists("cdktf.out")]).toEqual([false, false]);
  }, 60_000);

  it("up prod without PROXMOX_VE_ENDPOINT and without --sim fails naming PROXMOX_VE_ENDPOINT, touching nothing", async () => {
    const r = await runCli(project, ["up", "prod"], { [STATE_BACKEND_ENV]: "local" });
    expect([r.exitCode, r.stderr]).toEqual([1, expect.stringContaining('PROXMOX_VE_ENDPOINT is not set and environments/prod.yaml is stage "prod"')]);
    expect(r.stderr).toContain("--sim");
    // no simulator started, no Terraform state written
    expect([exists(".state/sim"), exists(".state/prod")]).toEqual([false, false]);
  }, 120_000);

  it("plan prod with the pg backend and no PG_CONN_STR fails naming it, before terraform init", async () => {
    const r = await runCli(project, ["plan", "prod", "--sim"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("environments/prod.yaml (stateBackend: pg) keeps the Terraform state in PostgreSQL, but PG_CONN_STR is not set");
    expect(r.stderr).toContain("PROXMOX_CDK_STATE_BACKEND=local");
    expect(r.stdout).not.toContain("terraform init");
    expect(exists("cdktf.out/stacks/prod/.terraform")).toBe(false);
  }, 120_000);
});

describe("doctor --target against a simulator reached through PROXMOX_VE_ENDPOINT", () => {
  let sim: RunningSimulator;
  let derived: string[];
  const vars = (token: string, extra: Record<string, string> = {}) => ({
    PROXMOX_VE_ENDPOINT: sim.endpoint,
    PROXMOX_VE_API_TOKEN: token,
    SSL_CERT_FILE: sim.caCertPath,
    ...extra,
  });
  const call = async (method: string, p: string, args: Record<string, string | number>) => {
    const r = await pveCall(sim, method, p, { token: sim.apiToken, args });
    if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${r.statusMessage}`);
    return r.body.data;
  };
  /** A user with a privilege-separated token, both granted a role with `privs` on / (as TerraformAccess grants). */
  async function tokenWith(name: string, privs: readonly string[]): Promise<string> {
    await call("POST", "/access/roles", { roleid: name, privs: privs.join(",") });
    await call("POST", "/access/users", { userid: `${name}@pve` });
    const t = await call("POST", `/access/users/${name}%40pve/token/cdk`, { privsep: 1 });
    await call("PUT", "/access/acl", { path: "/", roles: name, users: `${name}@pve`, propagate: 1 });
    await call("PUT", "/access/acl", { path: "/", roles: name, tokens: `${name}@pve!cdk`, propagate: 1 });
    return `${t["full-tokenid"]}=${t.value}`;
  }

  beforeAll(async () => {
    sim = await startSimulator();
    // The role TerraformAccess derives for dev, computed from the construct tree (not from the JSON doctor reads)
    const app = new App({ outdir: path.join(project.root, "tmp", "derive") });
    const [dev] = addEnvironmentStacks(app, { dir: path.join(project.root, "environments"), only: ["dev"] });
    const access = new TerraformAccess(new TerraformStack(app, "access"), "tf", { manages: [dev], tokenExpiry: "2099-01-01T00:00:00Z" });
    derived = access.derivePrivileges({ manages: [dev] });
  });
  afterAll(async () => sim?.stop());

  it("names the one derived privilege the token lacks (exit 1)", async () => {
    // GIVEN a token holding every privilege dev needs but VM.Config.CDROM (cloud-init drives need it)
    expect(derived).toContain("VM.Config.CDROM");
    const token = await tokenWith(
      "nocdrom",
      derived.filter((p) => p !== "VM.Config.CDROM"),
    );

    // WHEN checking the target for dev
    const r = await runCli(project, ["doctor", "--target", "dev"], vars(token));

    // THEN it is reachable, trusted, the token accepted, and exactly VM.Config.CDROM is reported missing
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^ok {4}reachable: 127\.0\.0\.1:\d+$/m);
    expect(r.stdout).toMatch(/^ok {4}token accepted: nocdrom@pve!cdk \(Proxmox VE 9\.1\.3, simulator: proxmox-cdk-sim\)$/m);
    expect(/the token lacks (.*) — grant them/.exec(r.stdout)?.[1]).toBe("VM.Config.CDROM (on /vms or /pool/dev)");
    expect(r.output).not.toContain(token.split("=")[1]);
  }, 180_000);

  it("passes a token that holds every derived privilege (exit 0)", async () => {
    const token = await tokenWith("full", derived);
    const r = await runCli(project, ["doctor", "--target", "dev"], vars(token));
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringContaining(`ok    privileges: all ${derived.length} the environment needs`)]);
  }, 180_000);

  it("names SSL_CERT_FILE and PROXMOX_VE_INSECURE when the server's CA is unknown", async () => {
    const untrusted: Record<string, string> = { ...vars(sim.apiToken) };
    delete untrusted.SSL_CERT_FILE;
    const report = await preflightTarget({ environment: untrusted });
    expect(report.ok).toBe(false);
    expect(report.lines.at(-1)?.text).toMatch(
      /^TLS: the certificate of 127\.0\.0\.1:\d+ is not trusted \(\w+\)\. Set SSL_CERT_FILE .* or PROXMOX_VE_INSECURE=true/,
    );
  });

  it("reports a refused token (wrong, deleted or expired)", async () => {
    const report = await preflightTarget({ environment: vars("nobody@pve!cdk=00000000-0000-0000-0000-000000000000") });
    expect(report.lines.at(-1)).toEqual({
      ok: false,
      text: expect.stringMatching(/^token refused \(401 .*\): PROXMOX_VE_API_TOKEN is wrong, its token was deleted, or it has expired\.$/),
    });
  });

  it("reports an endpoint nothing answers on, and one that is not https, without contacting anything else", async () => {
    // GIVEN a loopback port nothing listens on (taken, then released)
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const closed = await preflightTarget({ environment: { PROXMOX_VE_ENDPOINT: `https://127.0.0.1:${port}/`, PROXMOX_VE_API_TOKEN: "a@pve!b=c" } });
    expect(closed.lines).toEqual([
      { ok: false, text: `unreachable: 127.0.0.1:${port} (ECONNREFUSED) — check PROXMOX_VE_ENDPOINT, the network and the firewall.` },
    ]);
    const plain = await preflightTarget({ environment: { PROXMOX_VE_ENDPOINT: `http://127.0.0.1:${port}/` } });
    expect(plain.lines[0].text).toBe(
      `PROXMOX_VE_ENDPOINT="http://127.0.0.1:${port}/" is not https: Proxmox VE's API is served over TLS (https://<host>:8006/).`,
    );
  });
});
