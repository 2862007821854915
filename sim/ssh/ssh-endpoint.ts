import * as crypto from "crypto";
import type { AddressInfo } from "net";
import { Connection, Server, utils } from "ssh2";
import type { SimContext } from "../context";
import type { SimState } from "../sim-state";
import { runNodeCommand } from "./node-command";
import { serveSftp } from "./sftp-session";

/** The `ssh` slice: the login the provider uses and the host key, kept with the rest of the state (0600 file). */
interface SshSlice {
  username: string;
  password: string;
  /** OpenSSH private host key (ed25519), so a resumed simulator keeps its identity. */
  hostKey: string;
}

/** How to reach one node's SSH endpoint (what the provider's `ssh { node { … } }` block takes). */
export interface SshNodeAddress {
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

/** The SSH settings of a running simulator. */
export interface SshSettings {
  /** Login user (PROXMOX_VE_SSH_USERNAME). */
  readonly username: string;
  /** Login password (PROXMOX_VE_SSH_PASSWORD); a secret: keep it in the environment. */
  readonly password: string;
  /** One endpoint per node, all on 127.0.0.1. */
  readonly nodes: readonly SshNodeAddress[];
  /** SHA-256 fingerprint of the host key, as `ssh-keygen -l` prints it (`SHA256:…`). */
  readonly hostKeyFingerprint: string;
}

function sshSlice(state: SimState): SshSlice {
  return state.slice<SshSlice>("ssh", () => ({
    username: "root",
    password: crypto.randomBytes(18).toString("base64url"),
    hostKey: newHostKey(),
  }));
}

/**
 * A new ed25519 host key that ssh2 can read back. ssh2 1.17's generator writes a public key whose
 * first byte is zero one byte short (about 1 key in 200), and its own parser then refuses the key
 * ("Malformed OpenSSH private key"): such keys are drawn again (bounded).
 */
export function newHostKey(): string {
  for (let attempt = 0; attempt < 64; attempt++) {
    const key = utils.generateKeyPairSync("ed25519").private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
  throw new Error("could not generate an SSH host key that ssh2 reads back (64 attempts).");
}

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** Reads a channel's stdin to its end. */
function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

function serveClient(client: Connection, sim: SimContext, node: string, login: SshSlice): void {
  client.on("authentication", (ctx) => {
    if (ctx.method === "password" && ctx.username === login.username && sameSecret(ctx.password, login.password)) ctx.accept();
    else ctx.reject(["password"]);
  });
  client.on("ready", () => {
    client.on("session", (acceptSession) => {
      const session = acceptSession();
      session.on("exec", (accept, _reject, info) => {
        const channel = accept();
        runNodeCommand({ sim, node, stdin: () => readAll(channel) }, info.command)
          .then((r) => {
            if (r.stdout) channel.write(r.stdout);
            if (r.stderr) channel.stderr.write(r.stderr);
            channel.exit(r.code);
            channel.end();
          })
          .catch((e: Error) => {
            channel.stderr.write(`simulator: ${e.message}\n`);
            channel.exit(1);
            channel.end();
          });
      });
      session.on("sftp", (accept) => serveSftp(accept(), sim, node));
    });
  });
  client.on("error", () => client.end());
}

/** A running SSH endpoint: one listener per node. */
export interface RunningSshEndpoint {
  readonly settings: SshSettings;
  stop(): Promise<void>;
}

/**
 * Starts one SSH server per node on 127.0.0.1 (each knows its node, as the provider resolves a
 * node name to one address and port), authenticating the password kept in the state and serving
 * only the commands and SFTP operations of bpg/proxmox (see node-command.ts, sftp-session.ts).
 */
export async function startSshEndpoint(sim: SimContext): Promise<RunningSshEndpoint> {
  const login = sshSlice(sim.state);
  const servers: Server[] = [];
  const clients = new Set<Connection>();
  const nodes: SshNodeAddress[] = [];
  try {
    for (const node of sim.settings.nodes) {
      const server = new Server({ hostKeys: [login.hostKey] }, (client) => {
        clients.add(client);
        client.on("close", () => clients.delete(client));
        serveClient(client, sim, node, login);
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      nodes.push({ name: node, address: "127.0.0.1", port: (server.address() as AddressInfo).port });
    }
  } catch (e) {
    for (const s of servers) s.close();
    throw new Error(`Simulator SSH endpoint cannot listen on 127.0.0.1: ${(e as Error).message}`);
  }
  const pub = utils.parseKey(login.hostKey);
  const blob = Array.isArray(pub) || pub instanceof Error ? Buffer.alloc(0) : pub.getPublicSSH();
  const hostKeyFingerprint = `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
  return {
    settings: { username: login.username, password: login.password, nodes, hostKeyFingerprint },
    stop: async () => {
      for (const c of clients) c.end();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
