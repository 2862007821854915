/**
 * The PostgreSQL state backend against a real server: `PROXMOX_CDK_STATE_BACKEND=pg` with the
 * connection string in `PG_CONN_STR` (Terraform reads it; it is never written anywhere), state
 * rows in the schema `proxmox_cdk_<env>`, and Terraform's lock stopping a second concurrent deploy.
 *
 * The server: `scripts/install-postgres.sh` (Debian's postgresql only when initdb/pg_ctl are
 * missing), then initdb + pg_ctl in a temporary folder as the system user `postgres` (initdb refuses
 * root), listening on 127.0.0.1 only on a free port, stopped after the tests.
 */
import * as fs from "fs";
import * as path from "path";
import { RunningSimulator, startSimulator } from "../../../sim";
import { pveCall } from "../harness/pve-client";
import { auditRecords, filesContaining, runCli, targetVariables, tempProject } from "./cli-project";
import { ensurePostgresInstalled, PostgresServer, startPostgres } from "./postgres-server";
import type { ProcessResult } from "./run-process";

const DB = "proxmox_cdk_e2e";
const SCHEMA = "proxmox_cdk_dev";

interface TerraformStateJson {
  readonly version: number;
  readonly serial: number;
  readonly lineage: string;
  readonly resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[];
}

describe("the PostgreSQL state backend with a real server", () => {
  const project = tempProject(["dev"]);
  const runs: ProcessResult[] = [];
  let pg: PostgresServer | undefined;
  let sim: RunningSimulator | undefined;

  beforeAll(async () => {
    pg = await startPostgres(ensurePostgresInstalled());
    await pg.createDatabase(DB);
    // One simulator for every run, as one Proxmox VE would be: the CLI reaches it through the provider's variables.
    sim = await startSimulator();
  }, 180_000);
  afterAll(async () => {
    await sim?.stop();
    await pg?.stop();
  }, 60_000);

  async function cli(...args: string[]): Promise<ProcessResult> {
    const r = await runCli(project, args, { ...targetVariables(sim!), PROXMOX_CDK_STATE_BACKEND: "pg", PG_CONN_STR: pg!.connStr(DB) });
    runs.push(r);
    return r;
  }

  async function storedState(): Promise<TerraformStateJson> {
    return JSON.parse(await pg!.query(DB, `SELECT data FROM ${SCHEMA}.states WHERE name = 'default'`)) as TerraformStateJson;
  }

  const vmNames = (s: TerraformStateJson) =>
    s.resources
      .filter((r) => r.type === "proxmox_virtual_environment_vm")
      .flatMap((r) => r.instances.map((i) => i.attributes.name as string))
      .sort();

  async function simVmNames(): Promise<string[]> {
    const answer = await pveCall(sim!, "GET", "/cluster/resources?type=vm", { token: sim!.apiToken });
    return (answer.body.data as { name: string }[]).map((v) => v.name).sort();
  }

  it("deploys dev with its state stored in the schema proxmox_cdk_dev", async () => {
    // WHEN deploying with the pg backend
    const r = await cli("up", "dev");

    // THEN the run succeeds and the state is one row of the environment's schema, naming the deployed VMs
    expect([r.exitCode, r.stdout]).toEqual([0, expect.stringMatching(/up dev: [1-9]\d* added/)]);
    expect(await pg!.query(DB, `SELECT name FROM ${SCHEMA}.states ORDER BY name`)).toBe("default\n");
    const state = await storedState();
    expect(vmNames(state)).toEqual(["dev-app-1", "dev-bastion-1", "dev-db-1", "dev-debian12", "dev-web-1"]);
    expect(await simVmNames()).toEqual(vmNames(state));
    // AND nothing went to a local state file
    expect(fs.existsSync(path.join(project.root, ".state", "dev", "terraform.tfstate"))).toBe(false);
  }, 240_000);

  it("synthesises a pg backend that names the schema and carries no connection string", () => {
    const json = JSON.parse(fs.readFileSync(path.join(project.root, "cdktf.out", "stacks", "dev", "cdk.tf.json"), "utf8"));
    expect(json.terraform.backend).toEqual({ pg: { schema_name: SCHEMA } });
  });

  it("lets one of two concurrent deploys apply while the state lock stops the other, and keeps the state intact", async () => {
    // GIVEN a spec change that adds a VM, and the stored state before
    const spec = path.join(project.root, "environments", "dev.yaml");
    const text = fs.readFileSync(spec, "utf8");
    const changed = text.replace(/^( {2}web:\n)/m, "$1    count: 2\n");
    expect(changed).not.toBe(text);
    fs.writeFileSync(spec, changed);
    const before = await storedState();

    // WHEN two `up` processes start together against the same Proxmox VE and state
    // (--yes: a DHCP tier's IP set is replaced when a member is added, and a replace needs consent)
    const [a, b] = await Promise.all([cli("up", "dev", "--yes"), cli("up", "dev", "--yes")]);

    // THEN exactly one applied; the other stopped on the lock (or on its plan gone stale) without applying
    const outcomes = [a, b].map((r) => r.exitCode).sort();
    expect(outcomes).toEqual([0, 1]);
    const [winner, loser] = a.exitCode === 0 ? [a, b] : [b, a];
    expect(winner.stdout).toMatch(/up dev: [1-9]\d* added/);
    expect(loser.output).toMatch(/Error acquiring the state lock|Saved plan is stale/);
    expect(loser.output).not.toMatch(/Creation complete/);

    // AND the stored state is one valid newer version of the same lineage, matching the simulator: no VM twice
    const after = await storedState();
    expect(after.lineage).toBe(before.lineage);
    expect(after.serial).toBeGreaterThan(before.serial);
    expect(vmNames(after)).toEqual(["dev-app-1", "dev-bastion-1", "dev-db-1", "dev-debian12", "dev-web-1", "dev-web-2"]);
    expect(await simVmNames()).toEqual(vmNames(after));
    expect(await pg!.query(DB, `SELECT count(*) FROM ${SCHEMA}.states`)).toBe("1\n");

    // AND a later plan finds nothing to do
    const plan = await cli("plan", "dev");
    expect([plan.exitCode, plan.stdout]).toEqual([0, expect.stringContaining("No changes.")]);
  }, 300_000);

  it("never writes the connection string or the database password: not in files, output or the audit log", () => {
    const connStr = pg!.connStr(DB);
    expect(auditRecords(project).map((r) => r.action)).toEqual(["up", "up", "up", "plan"]);
    for (const secret of [connStr, pg!.password, encodeURIComponent(pg!.password)]) {
      expect(filesContaining(project.root, secret)).toEqual([]);
      expect(runs.filter((r) => r.output.includes(secret))).toEqual([]);
    }
  });
});
