import { createHash } from "crypto";
import * as http from "http";
import * as https from "https";
import { PveError } from "../pve-error";

/**
 * Where download-url and query-url-metadata get their bytes. The simulator NEVER contacts a
 * non-loopback address: for any other URL it invents a deterministic file (size derived from a
 * hash of the URL) and checksums cannot be verified. Loopback URLs (`localhost`, `127.0.0.0/8`,
 * `[::1]`) are really fetched, so tests can serve a file and have its checksum checked.
 */

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** Metadata PVE's `query-url-metadata` reports. */
export interface UrlMetadata {
  readonly filename?: string;
  readonly size?: number;
  readonly mimetype?: string;
}

/** Whether a URL points at this machine's loopback interface (checked by literal host, never by DNS). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The file name PVE derives from a URL: the last path segment, query string dropped. */
export function filenameFromUrl(url: string): string | undefined {
  const m = /^[^?]+\/([^?/]*)(?:\?.*)?$/.exec(url);
  return m && m[1] !== "" ? decodeURIComponent(m[1]) : undefined;
}

/** The invented size of a non-loopback file: 200–600 MiB, stable per URL, multiple of 512. */
export function simulatedSize(url: string): number {
  const n = createHash("sha256").update(url).digest().readUInt32BE(0);
  return 200 * MiB + (n % (400 * MiB)) - (n % 512);
}

/** Virtual size assumed for a non-loopback qcow2/vmdk image (a typical cloud image). */
export const SIMULATED_VIRTUAL_SIZE = 2 * GiB;

function mimetypeOf(filename: string | undefined): string {
  if (filename && /\.(iso|img)$/i.test(filename)) return "application/x-iso9660-image";
  if (filename && /\.(tar\.(gz|xz|zst)|tgz)$/i.test(filename)) return "application/x-compressed-tar";
  return "application/octet-stream";
}

interface LoopbackResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

function requestLoopback(url: string, method: "HEAD" | "GET", verify: boolean, redirects = 5): Promise<LoopbackResponse> {
  if (!isLoopbackUrl(url)) return Promise.reject(new Error(`refusing to contact non-loopback URL ${url}`));
  const mod = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, rejectUnauthorized: verify, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const location = res.headers.location;
        if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location && redirects > 0) {
          const next = new URL(location, url).toString();
          requestLoopback(next, method, verify, redirects - 1).then(resolve, reject);
          return;
        }
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

/** PVE's `query-url-metadata` (a HEAD request); errors as PVE words them. */
export async function queryUrlMetadata(url: string, verify: boolean): Promise<UrlMetadata> {
  if (!isLoopbackUrl(url)) {
    const filename = filenameFromUrl(url);
    return { filename, size: simulatedSize(url), mimetype: mimetypeOf(filename) };
  }
  let res: LoopbackResponse;
  try {
    res = await requestLoopback(url, "HEAD", verify);
  } catch (e) {
    throw new PveError(500, `invalid server response: '500 Can't connect to ${new URL(url).host} (${(e as Error).message})'`);
  }
  if (res.status !== 200) throw new PveError(500, `invalid server response: '${res.status} ${res.statusText}'`);
  const disposition = String(res.headers["content-disposition"] ?? "");
  const named = /filename="([^"]*)"/.exec(disposition) ?? /filename=([^;]*)/.exec(disposition);
  const type = res.headers["content-type"]?.split(";")[0];
  const length = Number(res.headers["content-length"]);
  return {
    filename: named ? named[1] : filenameFromUrl(url),
    size: Number.isFinite(length) && length > 0 ? length : undefined,
    mimetype: type,
  };
}

/** A downloaded file: its bytes (loopback only) or its invented size. */
export interface FetchedFile {
  readonly size: number;
  /** The content, when it was really fetched. */
  readonly data?: Buffer;
}

/** Fetches a loopback URL (as `wget` would) or invents the file for any other URL. */
export async function fetchFile(url: string, verify: boolean): Promise<FetchedFile> {
  if (!isLoopbackUrl(url)) return { size: simulatedSize(url) };
  const wget = `command '/usr/bin/wget --progress=dot:giga -O <tmp> ${url}' failed`;
  let res: LoopbackResponse;
  try {
    res = await requestLoopback(url, "GET", verify);
  } catch {
    throw new Error(`download failed: ${wget}: exit code 4`);
  }
  if (res.status !== 200) throw new Error(`download failed: ${wget}: exit code 8`);
  return { size: res.body.length, data: res.body };
}

/** Hex digest of data with one of PVE's checksum algorithms. */
export function digest(algorithm: string, data: Buffer): string {
  return createHash(algorithm).update(data).digest("hex");
}

/**
 * The virtual size of a disk image as `qemu-img info` would report it, or an error for a file
 * that is not of the claimed format (PVE refuses such untrusted images).
 */
export function imageVirtualSize(format: string, data: Buffer): number {
  if (format === "qcow2") {
    if (data.length < 32 || data.readUInt32BE(0) !== 0x514649fb) throw new Error("failed to query file information with qemu-img");
    return Number(data.readBigUInt64BE(24));
  }
  return data.length;
}
