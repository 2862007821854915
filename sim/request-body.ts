import type { IncomingMessage } from "http";
import { dict, Dict } from "./dict";
import { PveError } from "./pve-error";

/** A file part of a multipart upload (`POST /nodes/{node}/storage/{storage}/upload`). */
export interface UploadedFile {
  readonly filename: string;
  readonly data: Buffer;
}

/** How PVE's HTTP layer sees an argument that is not one string: a Perl ARRAY (repeated key, JSON list) or HASH (JSON object). */
export type ArgShape = "ARRAY" | "HASH";

/** Arguments of a request, as PVE's HTTP server extracts them. */
export interface RequestArgs {
  /** Query and body arguments (prototype-free); repeated keys are NUL-joined as PVE's CGI layer does. */
  readonly args: Dict<string>;
  /** Arguments PVE receives as a list or an object, which only `array`/`object` parameters accept. */
  readonly shapes: Dict<ArgShape>;
  /** Uploaded files by form field name; the field's argument is the file name. */
  readonly files: Dict<UploadedFile>;
}

/** pve-http-server's `$limit_max_post` (PVE::APIServer::AnyEvent): the largest non-upload body. */
export const MAX_POST_BYTES = 512 * 1024;

/** Largest upload body (uploads are kept in memory; PVE streams them to a temporary file). */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

/** JSON::XS's default `max_depth`, which PVE's `decode_json` of a JSON body uses. */
const MAX_JSON_DEPTH = 512;

/** PVE's answer to a body over the limit (`for data too large`, HTTP 501). */
const tooLarge = (): PveError => new PveError(501, "for data too large");

/**
 * Throws PVE's 501 when the declared `Content-Length` is over `limit`, before a byte of the body
 * is read (the caller then closes the connection instead of draining it).
 */
function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
}

/** Reads the request body, at most `limit` bytes (chunked bodies are cut off there with PVE's 501). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  checkDeclaredLength(req, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function add(out: RequestArgs, key: string, value: string): void {
  if (out.args[key] === undefined) {
    out.args[key] = value;
  } else {
    out.args[key] = `${out.args[key]}\0${value}`;
    out.shapes[key] = "ARRAY";
  }
}

/** Nesting depth of a JSON value, walked without recursion. */
function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
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
        add(out, name, filename);
      } else {
        add(out, name, data.toString("utf8"));
      }
    }
    pos = next;
  }
  throw new PveError(400, "malformed multipart body: missing closing boundary");
}

/**
 * Extracts arguments from the query string and the body: form-encoded (what bpg/proxmox sends),
 * JSON (booleans become 1/0) or multipart/form-data (uploads). A key repeated within the query
 * or within the body, or a JSON list/object, is marked in `shapes`; the query wins over the body.
 */
export function parseArgs(query: string, body: Buffer, contentType: string | undefined): RequestArgs {
  const out: RequestArgs = { args: dict(), shapes: dict(), files: dict() };
  parseBody(body, contentType, out);
  // pve-http-server's extract_params: a query argument replaces a body argument of the same name.
  const fromQuery: RequestArgs = { args: dict(), shapes: dict(), files: dict() };
  for (const [k, v] of new URLSearchParams(query)) add(fromQuery, k, v);
  for (const [k, v] of Object.entries(fromQuery.args)) {
    out.args[k] = v;
    if (fromQuery.shapes[k]) out.shapes[k] = fromQuery.shapes[k];
    else delete out.shapes[k];
  }
  return out;
}

function parseBody(body: Buffer, contentType: string | undefined, out: RequestArgs): void {
  if (body.length === 0) return;
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (e) {
      throw new PveError(400, `malformed JSON body: ${(e as Error).message}`);
    }
    if (jsonDepth(parsed) > MAX_JSON_DEPTH) {
      throw new PveError(400, `malformed JSON body: json text or perl structure exceeds maximum nesting level (max_depth ${MAX_JSON_DEPTH})`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new PveError(400, "JSON body must be an object");
    for (const [k, v] of Object.entries(parsed)) {
      if (v === null || v === undefined) continue;
      add(out, k, jsonArg(v));
      if (Array.isArray(v)) out.shapes[k] = "ARRAY";
      else if (typeof v === "object") out.shapes[k] = "HASH";
    }
  } else if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
    if (!boundary) throw new PveError(400, "multipart body without boundary");
    parseMultipart(body, boundary[1] ?? boundary[2], out);
  } else {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) add(out, k, v);
  }
}
