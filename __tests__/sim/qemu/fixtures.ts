import { createHash, generateKeyPairSync } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { Token } from "cdktf";
import type { VirtualEnvironmentVmNetworkDevice } from "../../../.gen/providers/proxmox/virtual-environment-vm";

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

/**
 * One NIC of `network_device`: a list-of-objects attribute, so Terraform needs every field (null
 * where unset — the provider then keeps what PVE reports, e.g. the generated MAC).
 */
export function nic(props: { bridge: string; firewall: boolean; vlanId?: number }): VirtualEnvironmentVmNetworkDevice {
  return {
    bridge: props.bridge,
    firewall: props.firewall,
    enabled: true,
    disconnected: false,
    model: "virtio",
    macAddress: Token.asString(Token.nullValue()),
    mtu: Token.asNumber(Token.nullValue()),
    queues: Token.asNumber(Token.nullValue()),
    rateLimit: Token.asNumber(Token.nullValue()),
    trunks: Token.asString(Token.nullValue()),
    vlanId: props.vlanId ?? Token.asNumber(Token.nullValue()),
  };
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
