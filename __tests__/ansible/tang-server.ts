import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { runChecked } from "./run-command";

/** Debian's tang package: tangd answers one HTTP exchange on stdin/stdout (inetd style). */
const TANGD = "/usr/libexec/tangd";
const TANGD_KEYGEN = "/usr/libexec/tangd-keygen";

/** A tang server on 127.0.0.1 with its own fresh keys. */
export interface TangServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Thumbprint of the signing key, which clevis pins. */
  readonly thumbprint: string;
  /** Stops listening and ends every tangd still answering; idempotent. */
  stop(): Promise<void>;
}

/**
 * Generates tang keys in `keyDir` and serves them on 127.0.0.1 (a port the kernel picks): each
 * connection is handed to a new tangd, which is what socat or systemd socket activation do.
 */
export async function startTangServer(keyDir: string): Promise<TangServer> {
  fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  await runChecked(TANGD_KEYGEN, [keyDir]);
  const thumbprint = await signingKeyThumbprint(keyDir);

  const children = new Set<ChildProcess>();
  const server = net.createServer((socket) => {
    const tangd = spawn(TANGD, [keyDir], { stdio: ["pipe", "pipe", "ignore"] });
    children.add(tangd);
    socket.pipe(tangd.stdin);
    tangd.stdout.pipe(socket);
    tangd.on("close", () => {
      children.delete(tangd);
      socket.end();
    });
    socket.on("error", () => tangd.kill());
    tangd.stdin.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;

  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    thumbprint,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const child of children) child.kill();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The thumbprint of the key tang signs its advertisement with (tang-show-keys prints the same). */
async function signingKeyThumbprint(keyDir: string): Promise<string> {
  for (const name of fs.readdirSync(keyDir).filter((n) => n.endsWith(".jwk"))) {
    const file = path.join(keyDir, name);
    const jwk = JSON.parse(fs.readFileSync(file, "utf8")) as { key_ops?: string[] };
    if (jwk.key_ops?.includes("sign")) return (await runChecked("jose", ["jwk", "thp", "-i", file])).stdout.trim();
  }
  throw new Error(`${TANGD_KEYGEN} wrote no signing key into ${keyDir}`);
}
