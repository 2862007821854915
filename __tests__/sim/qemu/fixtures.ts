import { createHash, generateKeyPairSync } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";

/** A tiny but valid qcow2 image header announcing `virtualBytes` of virtual size. */
export function qcow2Image(virtualBytes: number): Buffer {
  const img = Buffer.alloc(1024);
  img.writeUInt32BE(0x514649fb, 0); // "QFI\xfb"
  img.writeUInt32BE(3, 4); // version
  img.writeBigUInt64BE(BigInt(virtualBytes), 24);
  img.writeUInt32BE(16, 20); // cluster bits
  return img;
}

/** An HTTP server on 127.0.0.1 serving files by path (the simulator fetches loopback URLs for real). */
export interface ImageServer {
  readonly url: (name: string) => string;
  /** Port the server listens on (127.0.0.1). */
  readonly port: number;
  /** Requests served so far. */
  readonly hits: () => number;
  readonly sha256: (name: string) => string;
  close(): Promise<void>;
}

/** Serves `files` on a free loopback port. */
export async function serveImages(files: Readonly<Record<string, Buffer>>): Promise<ImageServer> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    const name = decodeURIComponent((req.url ?? "/").slice(1).split("?")[0]);
    const body = files[name];
    if (!body) {
      res.writeHead(404, "Not Found").end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    port,
    hits: () => hits,
    sha256: (name) => createHash("sha256").update(files[name]).digest("hex"),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A fresh ed25519 public key in authorized_keys form (`ssh-ed25519 AAAA… comment`). */
export function sshPublicKey(comment: string): string {
  const der = generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" });
  const raw = der.subarray(der.length - 32);
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from("ssh-ed25519")), str(raw)]);
  return `ssh-ed25519 ${blob.toString("base64")} ${comment}`;
}

/** The simulator state's qemu and storage slices, typed loosely for assertions. */
export interface SimView {
  vms: Record<string, { vmid: number; node: string; conf: Record<string, string>; run: string }>;
  volumes: Record<string, Record<string, Record<string, { size: number; vmid?: number; parent?: string }>>>;
}

/** Reads the qemu and storage slices out of a state snapshot. */
export function simView(state: { toJSON(): Record<string, unknown> }): SimView {
  const json = state.toJSON() as { qemu?: { vms: SimView["vms"] }; storage?: { volumes: SimView["volumes"] } };
  return { vms: json.qemu?.vms ?? {}, volumes: json.storage?.volumes ?? {} };
}

/** Where a template's cloud image comes from (the `imageUrl`/`imageSha256` of the template stack). */
export interface ImageSource {
  readonly imageUrl: string;
  readonly imageSha256: string;
}

/**
 * Registers the hooks of a describe block whose template imports a cloud image: a 2 GiB
 * (virtual) `debian.qcow2` served on loopback before its tests and closed after them.
 * `source()` answers inside tests.
 */
export function debianCloudImage(): { source(): ImageSource } {
  let server: ImageServer | undefined;
  beforeAll(async () => {
    server = await serveImages({ "debian.qcow2": qcow2Image(2 * 1024 ** 3) });
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    source: () => {
      if (!server) throw new Error("debianCloudImage: the image is served only while the describe block's tests run");
      return { imageUrl: server.url("debian.qcow2"), imageSha256: server.sha256("debian.qcow2") };
    },
  };
}
