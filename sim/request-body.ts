import type { IncomingMessage } from "http";
import { PveError } from "./pve-error";

/** A file part of a multipart upload (`POST /nodes/{node}/storage/{storage}/upload`). */
export interface UploadedFile {
  readonly filename: string;
  readonly data: Buffer;
}

/** Arguments of a request, as PVE's HTTP server extracts them. */
export interface RequestArgs {
  /** Query and body arguments; repeated keys are NUL-joined as PVE's CGI layer does. */
  readonly args: Record<string, string>;
  /** Uploaded files by form field name; the field's argument is the file name. */
  readonly files: Record<string, UploadedFile>;
}

/** Largest request body accepted (uploads are kept in memory). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** Reads the whole request body; 413 beyond {@link MAX_BODY_BYTES}. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PveError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function add(args: Record<string, string>, key: string, value: string): void {
  args[key] = args[key] === undefined ? value : `${args[key]}\0${value}`;
}

function jsonArg(value: unknown): string {
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return value.map(jsonArg).join("\0");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function parseMultipart(body: Buffer, boundary: string, out: RequestArgs): void {
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") return;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd === -1) throw new PveError(400, "malformed multipart body: a part has no header end");
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const data = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) {
        out.files[name] = { filename, data };
        add(out.args, name, filename);
      } else {
        add(out.args, name, data.toString("utf8"));
      }
    }
    pos = next;
  }
  throw new PveError(400, "malformed multipart body: missing closing boundary");
}

/**
 * Extracts arguments from the query string and the body: form-encoded (what bpg/proxmox sends),
 * JSON (booleans become 1/0) or multipart/form-data (uploads).
 */
export function parseArgs(query: string, body: Buffer, contentType: string | undefined): RequestArgs {
  const out: RequestArgs = { args: {}, files: {} };
  for (const [k, v] of new URLSearchParams(query)) add(out.args, k, v);
  if (body.length === 0) return out;
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (e) {
      throw new PveError(400, `malformed JSON body: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new PveError(400, "JSON body must be an object");
    for (const [k, v] of Object.entries(parsed)) if (v !== null && v !== undefined) add(out.args, k, jsonArg(v));
  } else if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
    if (!boundary) throw new PveError(400, "multipart body without boundary");
    parseMultipart(body, boundary[1] ?? boundary[2], out);
  } else {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) add(out.args, k, v);
  }
  return out;
}
