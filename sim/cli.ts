import { PVE_SCHEMA_VERSION } from "./api-schema";
import { parseDuration } from "./duration";
import { parseFaults } from "./faults";
import { startSimulator, SimulatorOptions } from "./index";
import { ALLOC_LATENCY_KEY } from "./qemu/storage-lock";
import { own } from "./dict";

/** Friendly names of `--latency` keys → PVE task types; any other key is taken as a task type. */
const TASK_ALIASES: Readonly<Record<string, string>> = {
  clone: "qmclone",
  create: "qmcreate",
  start: "qmstart",
  stop: "qmstop",
  shutdown: "qmshutdown",
  reboot: "qmreboot",
  destroy: "qmdestroy",
  migrate: "qmigrate",
  template: "qmtemplate",
  config: "qmconfig",
  alloc: ALLOC_LATENCY_KEY,
};

/** `--help` text of `proxmox-cdk sim`. */
export const SIM_HELP = `Usage: proxmox-cdk sim [options]

Runs a Proxmox VE ${PVE_SCHEMA_VERSION} API simulator on https://127.0.0.1 (TLS 1.3) for the
bpg/proxmox provider. Prints the endpoint, a root API token and the CA certificate, then serves
until SIGINT/SIGTERM.

Options:
  --port N           TCP port on 127.0.0.1 (0 = any free port)          [default: 8006]
  --nodes A,B,C      cluster node names                                 [default: pve1,pve2,pve3]
  --state FILE       save the state to FILE after every change and resume from it;
                     the TLS certificates go to FILE.tls/                [default: in memory]
  --latency SPEC     task durations, e.g. clone=4s,alloc=300ms,start=500ms (clone, create,
                     start, stop, shutdown, reboot, destroy, migrate, template, or any PVE
                     task type such as vzcreate; * = every other type). clone is a full
                     clone's total time; alloc is one volume allocation (or resize) under
                     the storage lock, the only part of a clone that queues [default: none]
  --faults SPEC      inject faults, comma-separated TARGET=EFFECT[@RATE] rules:
                       METHOD:/path/glob=STATUS        HTTP error (400-599)
                       METHOD:/path/glob=delay:2s      slow answer
                       task:TYPE=fail | task:TYPE=delay:2s
                     METHOD is GET, POST, PUT, DELETE or *; in paths * is one segment and
                     ** any number; RATE is a probability (default 1), e.g.
                     POST:/nodes/*/qemu/*/clone=500@0.3,task:qmclone=fail@0.5
  --seed N           seed for faults and generated values                [default: 1]
  --json             print the connection details as one JSON line instead of text
  --verbose          log every request to stderr
  --help             show this text

Use with terraform:
  export PROXMOX_VE_ENDPOINT=<endpoint> PROXMOX_VE_API_TOKEN=<token>
  export SSL_CERT_FILE=<ca certificate>      # or PROXMOX_VE_INSECURE=true
`;

/** Parsed command line of `proxmox-cdk sim`. */
export interface SimCliArgs {
  readonly options: SimulatorOptions;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
}

/** Parses `--latency clone=2s,start=500ms` into milliseconds per PVE task type. */
export function parseLatency(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of spec
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s)) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new Error(`--latency: "${item}" must be NAME=DURATION, e.g. clone=2s`);
    const name = item.slice(0, eq);
    out[own(TASK_ALIASES, name) ?? name] = parseDuration(item.slice(eq + 1), `--latency ${name}`);
  }
  return out;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`${flag}: expected an integer between ${min} and ${max}, got "${text}"`);
  return n;
}

/** Parses the arguments after `sim`; throws an Error naming the bad flag. */
export function parseSimArgs(argv: readonly string[]): SimCliArgs {
  const o: { -readonly [K in keyof SimulatorOptions]: SimulatorOptions[K] } = { port: 8006 };
  let json = false;
  let verbose = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith("--") && argv[i].includes("=")
        ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)]
        : [argv[i], undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag}: missing value (see --help)`);
      return v;
    };
    switch (flag) {
      case "--port":
        o.port = integer(flag, value(), 0, 65535);
        break;
      case "--nodes":
        o.nodes = value()
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s);
        break;
      case "--state":
        o.stateFile = value();
        break;
      case "--latency":
        o.latency = parseLatency(value());
        break;
      case "--faults": {
        const spec = value();
        parseFaults(spec);
        o.faults = spec;
        break;
      }
      case "--seed":
        o.seed = integer(flag, value(), 0, 2 ** 32 - 1);
        break;
      case "--json":
        json = true;
        break;
      case "--verbose":
        verbose = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      default:
        throw new Error(`unknown option "${argv[i]}" (see proxmox-cdk sim --help)`);
    }
  }
  return { options: o, json, verbose, help };
}

/**
 * `proxmox-cdk sim`: starts the simulator, prints how to reach it, serves until SIGINT/SIGTERM.
 * Resolves with the process exit code (0 after a signal, 2 on bad arguments, 1 on start failure).
 */
export async function runSimCli(
  argv: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let args: SimCliArgs;
  try {
    args = parseSimArgs(argv);
  } catch (e) {
    err.write(`proxmox-cdk sim: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    out.write(SIM_HELP);
    return 0;
  }
  const onRequest = args.verbose ? (m: string, p: string, s: number) => void err.write(`${s} ${m} ${p}\n`) : undefined;
  let sim;
  try {
    sim = await startSimulator({ ...args.options, onRequest });
  } catch (e) {
    err.write(`proxmox-cdk sim: ${(e as Error).message}\n`);
    return 1;
  }
  const running = sim;
  // Handlers go in before anything is printed: a caller may signal as soon as it reads the output.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void running.stop().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  const info = { endpoint: sim.endpoint, apiToken: sim.apiToken, caCertPath: sim.caCertPath, stateFile: args.options.stateFile ?? null, ssh: sim.ssh };
  // The provider takes node SSH ports only from its ssh block; proxmox-cdk stacks fill it from this
  // variable (constructs/node-ssh.ts, SSH_NODES_VARIABLE).
  const sshNodes = JSON.stringify(sim.ssh.nodes);
  if (args.json) {
    out.write(`${JSON.stringify(info)}\n`);
  } else {
    out.write(
      `PVE ${PVE_SCHEMA_VERSION} API simulator listening on ${sim.endpoint}\n` +
        `  API token:      ${sim.apiToken}\n` +
        `  CA certificate: ${sim.caCertPath}\n` +
        `  state:          ${args.options.stateFile ?? "in memory"}\n` +
        `  SSH (uploads):  user ${sim.ssh.username}, password ${sim.ssh.password}, host key ${sim.ssh.hostKeyFingerprint}\n` +
        sim.ssh.nodes.map((n) => `                  ${n.name}: ${n.address} port ${n.port}\n`).join("") +
        `export PROXMOX_VE_ENDPOINT=${sim.endpoint} PROXMOX_VE_API_TOKEN='${sim.apiToken}' SSL_CERT_FILE=${sim.caCertPath}` +
        ` PROXMOX_VE_SSH_USERNAME=${sim.ssh.username} PROXMOX_VE_SSH_PASSWORD='${sim.ssh.password}' TF_VAR_proxmox_ssh_nodes='${sshNodes}'\n`,
    );
  }
  await stopped;
  return 0;
}

if (require.main === module) {
  void runSimCli(process.argv.slice(2)).then((code) => process.exit(code));
}
