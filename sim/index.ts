import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { accessState } from "./access-model";
import { ApiSchema } from "./api-schema";
import type { SimContext } from "./context";
import { FaultInjector, FaultRule, parseFaults } from "./faults";
import { recordFirewallCompile } from "./firewall/compile-log";
import { checkNamedFormat } from "./pve-formats";
import type { Route } from "./route";
import { RouteTable } from "./route-table";
import { allRoutes } from "./routes";
import { seededRandom } from "./seeded-random";
import { handleRequest } from "./server";
import { SimState } from "./sim-state";
import { RunningSshEndpoint, SshSettings, startSshEndpoint } from "./ssh/ssh-endpoint";
import { loadStateFile, saveStateFile } from "./state-file";
import { TaskRunner } from "./tasks";
import { ensureCertificates } from "./tls";

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /**
   * TCP port on 127.0.0.1; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Cluster node names.
   * @default ["pve1", "pve2", "pve3"]
   */
  readonly nodes?: readonly string[];
  /**
   * File the state is saved to (atomically, after every change) and resumed from.
   * @default in memory only
   */
  readonly stateFile?: string;
  /**
   * Simulated task durations in milliseconds per PVE task type (`qmclone`, `qmcreate`, `qmstart`,
   * …; `*` for every other type), and `vdisk_alloc`: one volume allocation under the storage lock
   * (`ALLOC_LATENCY_KEY`, docs/simulator.md "Clones").
   * @default {} (tasks complete immediately)
   */
  readonly latency?: Readonly<Record<string, number>>;
  /**
   * Fault rules, as a spec string (see docs/simulator.md, e.g. `GET:/version=503@0.5`) or parsed.
   * @default none
   */
  readonly faults?: string | readonly FaultRule[];
  /**
   * Seed of faults and generated values; the same seed and request sequence repeat the same run.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Password of root@pam when a new state is created (ignored when resuming a state file).
   * @default random
   */
  readonly rootPassword?: string;
  /**
   * Folder for the CA and server certificate.
   * @default `<stateFile>.tls/` with a state file (reused across restarts), else a fresh temporary folder
   */
  readonly tlsDir?: string;
  /**
   * Routes to serve.
   * @default every route family in sim/routes/index.ts
   */
  readonly routes?: readonly Route[];
  /**
   * Called after each request (access log).
   * @default none
   */
  readonly onRequest?: (method: string, path: string, status: number) => void;
}

/** A running simulator. */
export interface RunningSimulator {
  /** `https://127.0.0.1:<port>/` (the form PROXMOX_VE_ENDPOINT takes). */
  readonly endpoint: string;
  readonly port: number;
  /** Full API token of root@pam (privsep=0): `root@pam!sim=<uuid>`. */
  readonly apiToken: string;
  /** Password of root@pam (for tickets). */
  readonly rootPassword: string;
  /** CA certificate that signed the server certificate (for SSL_CERT_FILE). */
  readonly caCertPath: string;
  /** The SSH endpoint of each node (bpg/proxmox's SSH paths: uploads, disk imports); its password is a secret. */
  readonly ssh: SshSettings;
  /** The live state (read it in tests; mutate only through the API). */
  readonly state: SimState;
  /** The handler context (for tests that call handlers or registries directly). */
  readonly context: SimContext;
  /** Stops serving and cancels pending task work. */
  stop(): Promise<void>;
}

const DEFAULT_NODES = ["pve1", "pve2", "pve3"];

/** Starts the PVE API simulator: HTTPS (TLS 1.3+) on 127.0.0.1 only. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const nodes = [...(options.nodes ?? DEFAULT_NODES)];
  if (nodes.length === 0) throw new Error("Simulator nodes: at least one node is needed, e.g. pve1");
  for (const n of nodes) {
    const err = checkNamedFormat("pve-node", n);
    if (err) throw new Error(`Simulator nodes: "${n}" is not a valid PVE node name (${err}); use letters, digits and dashes`);
  }
  const schema = ApiSchema.bundled();
  const table = new RouteTable(schema, options.routes ?? allRoutes);
  const state = new SimState(options.stateFile ? (loadStateFile(options.stateFile) ?? {}) : {});
  const access = accessState(state, { rootPassword: options.rootPassword });
  const seed = options.seed ?? 1;
  const rules = typeof options.faults === "string" ? parseFaults(options.faults) : (options.faults ?? []);
  const faults = new FaultInjector(rules, seed);
  const nowSec = (): number => Math.floor(Date.now() / 1000);
  const save = (): void => {
    recordFirewallCompile(state);
    if (options.stateFile) saveStateFile(options.stateFile, state);
  };
  const runner = new TaskRunner(state, options.latency ?? {}, faults, save, nowSec);
  const random = seededRandom(seed ^ 0x5eed);
  const tempTls = options.tlsDir === undefined && options.stateFile === undefined;
  const tlsDir = options.tlsDir ?? (options.stateFile ? `${options.stateFile}.tls` : fs.mkdtempSync(path.join(os.tmpdir(), "pve-sim-tls-")));
  const certs = await ensureCertificates(tlsDir);
  const serverCert = fs.readFileSync(certs.serverCertPath);
  const context: SimContext = {
    state,
    settings: { nodes, latencyMs: { ...(options.latency ?? {}) }, sslFingerprint: new crypto.X509Certificate(serverCert).fingerprint256 },
    startTask: (node, type, id, user, work, taskOptions) => runner.start(node, type, id, user, work, taskOptions),
    save,
    random,
  };
  save();

  const server = https.createServer({ key: fs.readFileSync(certs.serverKeyPath), cert: serverCert, minVersion: "TLSv1.3" }, (req, res) => {
    handleRequest({ schema, table, sim: context, faults, nowSec, onRequest: options.onRequest }, req, res).catch(() => res.destroy());
  });
  // Go's HTTP client does not retry a POST on a keep-alive connection the server closed while it
  // sat idle; Node's 5 s default makes terraform runs flaky, so idle connections live longer.
  server.keepAliveTimeout = 120_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
  } catch (e) {
    runner.stop();
    if (tempTls) fs.rmSync(tlsDir, { recursive: true, force: true });
    throw new Error(`Simulator cannot listen on 127.0.0.1:${options.port ?? 0}: ${(e as Error).message} (choose another --port, or 0 for any free port)`);
  }
  const port = (server.address() as AddressInfo).port;
  let ssh: RunningSshEndpoint;
  try {
    ssh = await startSshEndpoint(context);
    save();
  } catch (e) {
    runner.stop();
    server.close();
    if (tempTls) fs.rmSync(tlsDir, { recursive: true, force: true });
    throw e;
  }
  return {
    endpoint: `https://127.0.0.1:${port}/`,
    port,
    apiToken: access.bootstrap.rootToken,
    rootPassword: access.bootstrap.rootPassword,
    caCertPath: certs.caCertPath,
    ssh: ssh.settings,
    state,
    context,
    stop: async () => {
      runner.stop();
      await ssh.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (tempTls) fs.rmSync(tlsDir, { recursive: true, force: true });
    },
  };
}

export type { SimContext } from "./context";
export type { SshNodeAddress, SshSettings } from "./ssh/ssh-endpoint";
export { registerClusterResources } from "./cluster-resources";
export { requirePrivs, hasPrivs } from "./permission-check";
export { parseFaults } from "./faults";
export { skippedFirewallRules } from "./firewall/compile-log";
