import * as fs from "fs";
import * as path from "path";

/**
 * Throws before `terraform init` when the synthesised stack keeps its state in PostgreSQL and
 * PG_CONN_STR (which Terraform reads the connection string from) is unset: init would otherwise
 * fail later with a message about a backend the user may not know they chose.
 */
export function requireStateBackend(workdir: string, env: string, environment: NodeJS.ProcessEnv = process.env): void {
  const file = path.join(workdir, "cdk.tf.json");
  if (!fs.existsSync(file)) return;
  const backend = (JSON.parse(fs.readFileSync(file, "utf8")) as { terraform?: { backend?: Record<string, unknown> } }).terraform?.backend ?? {};
  if (!("pg" in backend) || environment.PG_CONN_STR) return;
  const why = environment.PROXMOX_CDK_STATE_BACKEND === "pg" ? "PROXMOX_CDK_STATE_BACKEND=pg" : `environments/${env}.yaml (stateBackend: pg)`;
  throw new Error(
    `${why} keeps the Terraform state in PostgreSQL, but PG_CONN_STR is not set: ` +
      `set PG_CONN_STR=postgres://user@host/db (password in PGPASSWORD or ~/.pgpass), ` +
      `or keep the state in .state/${env}/ with PROXMOX_CDK_STATE_BACKEND=local.`,
  );
}
