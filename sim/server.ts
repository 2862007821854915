import type { IncomingMessage, ServerResponse } from "http";
import { authId } from "./access-model";
import type { ApiSchema } from "./api-schema";
import { authenticate } from "./auth";
import type { SimContext } from "./context";
import { dict, own } from "./dict";
import type { FaultInjector } from "./faults";
import { validateParams } from "./param-validation";
import { checkApiPermissions } from "./permission-check";
import { parameterError, PveError } from "./pve-error";
import { MAX_POST_BYTES, parseArgs, readBody } from "./request-body";
import type { ApiRequest, AuthContext, HttpMethod } from "./route";
import type { RouteTable } from "./route-table";

/** Everything the request pipeline needs from a running simulator. */
export interface PipelineDeps {
  readonly schema: ApiSchema;
  readonly table: RouteTable;
  readonly sim: SimContext;
  readonly faults: FaultInjector;
  readonly nowSec: () => number;
  /** Called once per request with method, path and status (for the CLI's access log). */
  readonly onRequest?: (method: string, path: string, status: number) => void;
}

const API_PREFIX = "/api2/json";
const METHODS: ReadonlySet<string> = new Set(["GET", "POST", "PUT", "DELETE"]);

/** Calls PVE answers without authentication (`auth_handler` in pve-manager). */
function needsAuth(method: string, path: string): boolean {
  if (path === "/access/ticket" && (method === "GET" || method === "POST")) return false;
  return !(path === "/access/domains" && method === "GET");
}

/** HTTP reason phrases must be one line of printable ASCII; PVE puts its message there. */
function reason(message: string): string {
  const line = message
    .split("\n")[0]
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  return line.slice(0, 200) || "error";
}

function send(res: ServerResponse, status: number, body: unknown, message?: string): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  if (message !== undefined) res.statusMessage = reason(message);
  res.setHeader("Content-Type", "application/json;charset=UTF-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.setHeader("Cache-Control", "max-age=0");
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): number {
  if (err instanceof PveError) {
    const body: Record<string, unknown> = { data: null, message: `${err.message}\n` };
    if (err.errors) body.errors = err.errors;
    send(res, err.status, body, err.message);
    return err.status;
  }
  const message = err instanceof Error ? err.message : String(err);
  send(res, 500, { data: null, message: `${message}\n` }, message);
  return 500;
}

/** Splits the raw path on `/` and unescapes each segment (so `%2F` inside a volume id stays put). */
function pathSegments(rawPath: string): string[] {
  return rawPath
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new PveError(400, `malformed percent-encoding in path segment '${s}'`);
      }
    });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Answers one HTTP request the way PVE's API server does, in PVE's order: authentication (401),
 * body (at most the route's limit, 501 `for data too large` beyond), handler lookup (501),
 * permissions (403), parameter validation (400), handler; `--faults` rules apply after
 * authentication. The state is saved after every non-GET request, before the answer is sent.
 */
export async function handleRequest(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const [rawPath, query = ""] = (req.url ?? "/").split(/\?(.*)/s, 2);
  let status = 200;
  let relPath = rawPath;
  let bodyRead = false;
  try {
    if (rawPath !== API_PREFIX && !rawPath.startsWith(`${API_PREFIX}/`)) {
      throw new PveError(404, `Not found: the simulator serves only ${API_PREFIX}/…`);
    }
    const segments = pathSegments(rawPath.slice(API_PREFIX.length));
    relPath = `/${segments.join("/")}`;
    if (!METHODS.has(method)) throw new PveError(501, `Method '${method} ${relPath}' not implemented`);
    // As pveproxy: authenticate on the headers, then read at most the route's body limit.
    const auth: AuthContext = needsAuth(method, relPath) ? authenticate(deps.sim.state, method, req.headers, deps.nowSec()) : { userid: "" };
    const match = deps.table.match(method as HttpMethod, segments);
    if (method !== "POST" && method !== "PUT" && Number(req.headers["content-length"] ?? 0) > 0) {
      throw new PveError(501, `Unexpected content for method '${method}'`);
    }
    const body = await readBody(req, match?.route?.maxBodyBytes ?? MAX_POST_BYTES);
    bodyRead = true;
    const fault = deps.faults.forRequest(method, relPath);
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.status !== undefined) throw new PveError(fault.status, `simulated fault (--faults) on ${method} ${relPath}`);
    const schemaMethod = match && deps.schema.method(match.template, method as HttpMethod);
    if (!match || !schemaMethod) throw new PveError(501, `Method '${method} ${relPath}' not implemented`);
    if (!match.route) throw new PveError(501, `Method '${method} ${match.template}' not implemented by the simulator`);
    if (auth.tokenid && schemaMethod.allowtoken === 0) throw new PveError(403, "Permission check failed (API tokens are not allowed for this method)");
    const { args, shapes, files } = parseArgs(query, body, req.headers["content-type"]);
    const params = mergeParams(match.params, args);
    if (needsAuth(method, relPath)) checkApiPermissions(deps.sim.state, authId(auth), schemaMethod.permissions, params);
    const errors = validateParams(schemaMethod, params, shapes);
    if (Object.keys(errors).length > 0) throw parameterError(errors);
    const request: ApiRequest = { method: method as HttpMethod, path: relPath, template: match.template, params: match.params, args, auth, files };
    let data: unknown;
    try {
      data = await match.route.handler(request, deps.sim);
    } finally {
      // Saved before the answer leaves: an acknowledged change survives a crash right after it.
      if (method !== "GET") deps.sim.save();
    }
    send(res, 200, { data: data === undefined ? null : data });
  } catch (err) {
    // An unread body is not drained: the connection closes after the answer.
    if (!bodyRead) res.setHeader("Connection", "close");
    status = sendError(res, err);
  } finally {
    deps.onRequest?.(method, relPath, status);
  }
}

/** Path parameters plus arguments; an argument repeating a path parameter must agree with it. */
function mergeParams(pathParams: Readonly<Record<string, string>>, args: Readonly<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = dict(args);
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(pathParams)) {
    if (own(args, k) !== undefined && args[k] !== v) errors[k] = "duplicate parameter (already defined in URI) with conflicting values";
    merged[k] = v;
  }
  if (Object.keys(errors).length > 0) throw parameterError(errors);
  return merged;
}
