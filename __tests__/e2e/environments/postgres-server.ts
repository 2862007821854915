import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { REPO } from "./cli-project";
import { runProcess } from "./run-process";

/** A throwaway PostgreSQL server on 127.0.0.1. */
export interface PostgresServer {
  readonly port: number;
  /** Password of the superuser `postgres` (scram-sha-256 over TCP). */
  readonly password: string;
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<db>?sslmode=disable`. */
  connStr(db: string): string;
  /** Creates a database. */
  createDatabase(db: string): Promise<void>;
  /** Runs SQL with psql and returns its unaligned, tuples-only output. */
  query(db: string, sql: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/** The system user the server runs as when the tests run as root (initdb refuses root). */
const SERVER_USER = "postgres";

/**
 * Makes sure the server programs exist (`scripts/install-postgres.sh`: installs Debian's
 * postgresql packages only when initdb/pg_ctl are missing) and returns their folder.
 */
export function ensurePostgresInstalled(): string {
  const out = execFileSync("bash", [path.join(REPO, "scripts", "install-postgres.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const bin = out.trim().split("\n").pop() ?? "";
  for (const tool of ["initdb", "pg_ctl", "createdb", "psql"]) {
    if (!fs.existsSync(path.join(bin, tool))) throw new Error(`scripts/install-postgres.sh reported ${bin}, which has no ${tool}`);
  }
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * initdb + pg_ctl start of a new cluster in a temporary folder, listening on 127.0.0.1 only (no
 * Unix socket outside the folder), on a free port. As root, the server programs run as the
 * system user `postgres` through `runuser`.
 */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-e2e-"));
  const data = path.join(dir, "data");
  const password = crypto.randomBytes(18).toString("base64url");
  const port = await freePort();
  const owner = asRoot
    ? { uid: Number(execFileSync("id", ["-u", SERVER_USER], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", SERVER_USER], { encoding: "utf8" })) }
    : undefined;
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const pwfile = path.join(dir, "pw");
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) fs.chownSync(pwfile, owner.uid, owner.gid);

  const asServerUser = async (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ["runuser", ["-u", SERVER_USER, "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
    const r = await runProcess(cmd, argv, { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C" }, timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw new Error(`${tool} ${args.join(" ")} failed (exit ${r.exitCode}):\n${r.output}`);
  };
  try {
    await asServerUser("initdb", [
      "-D",
      data,
      "--username=postgres",
      `--pwfile=${pwfile}`,
      "--auth-local=peer",
      "--auth-host=scram-sha-256",
      "--encoding=UTF8",
      "--no-locale",
      "--no-sync",
    ]);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.appendFileSync(path.join(data, "postgresql.conf"), `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\nfsync = off\n`);
  await asServerUser("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);

  const clientEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", PGPASSWORD: password, PGCONNECT_TIMEOUT: "10" };
  const client = async (tool: string, args: string[]) => {
    const r = await runProcess(path.join(bin, tool), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", ...args], {
      cwd: dir,
      env: clientEnv,
      timeoutMs: 60_000,
    });
    if (r.exitCode !== 0) throw new Error(`${tool} ${args.join(" ")} failed (exit ${r.exitCode}):\n${r.output}`);
    return r.stdout;
  };
  return {
    port,
    password,
    connStr: (db) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}?sslmode=disable`,
    createDatabase: async (db) => void (await client("createdb", [db])),
    query: (db, sql) => client("psql", ["-d", db, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]),
    stop: async () => {
      try {
        await asServerUser("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
