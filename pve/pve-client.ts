import * as fs from "fs";
import * as https from "https";

/** Where a Proxmox VE API listens and how to trust it. */
export interface PveEndpoint {
  /** `https://host:8006/` (PROXMOX_VE_ENDPOINT). */
  readonly endpoint: string;
  /** CA bundle to verify the server with (SSL_CERT_FILE). @default system roots */
  readonly caCertPath?: string;
  /** Skip certificate verification (PROXMOX_VE_INSECURE=true). @default false */
  readonly insecure?: boolean;
  /** HTTPS agent, e.g. one keep-alive pool per benchmark client. @default Node's global agent */
  readonly agent?: https.Agent;
}

/** How to reach and authenticate to a Proxmox VE API, as the provider's variables describe it. */
export interface PveConnection extends PveEndpoint {
  /** `user@realm!token=secret` (PROXMOX_VE_API_TOKEN). */
  readonly apiToken: string;
}

/** The connection described by PROXMOX_VE_* variables, or undefined when incomplete. */
export function connectionFromEnv(env: Readonly<Record<string, string | undefined>>): PveConnection | undefined {
  if (!env.PROXMOX_VE_ENDPOINT || !env.PROXMOX_VE_API_TOKEN) return undefined;
  return {
    endpoint: env.PROXMOX_VE_ENDPOINT,
    apiToken: env.PROXMOX_VE_API_TOKEN,
    caCertPath: env.SSL_CERT_FILE,
    insecure: env.PROXMOX_VE_INSECURE === "true" || env.PROXMOX_VE_INSECURE === "1",
  };
}

/** An API failure with PVE's status and message (never the token). */
export class PveApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One request of {@link pveExchange}. */
export interface PveExchangeRequest {
  /** HTTP method; anything but GET/POST/PUT/DELETE only to probe how a server refuses it. */
  readonly method: string;
  /** Path after `/api2/json` with its segments already escaped (e.g. `/access/users/ci%40pve`). */
  readonly path: string;
  /** Arguments: query string for GET/DELETE, form body for POST/PUT. @default none */
  readonly args?: Readonly<Record<string, string | number>>;
  /** API token `user@realm!name=secret`, sent as `PVEAPIToken=`. @default none (unauthenticated) */
  readonly apiToken?: string;
  /** Extra headers (Cookie, CSRFPreventionToken, …). @default none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Take `path` as it is after the endpoint, without the `/api2/json` prefix. @default false */
  readonly rawPath?: boolean;
  /** Give up after this many milliseconds without an answer. @default 30000 */
  readonly timeoutMs?: number;
}

/** A complete answer, whatever its status. */
export interface PveExchangeResponse {
  readonly status: number;
  /** The reason phrase, where PVE puts its message. */
  readonly statusMessage: string;
  /** The JSON body parsed, or the text when it is not JSON. */
  readonly body: unknown;
}

/**
 * Sends one request to a PVE API (form-encoded arguments, as PVE and bpg/proxmox use them) and
 * resolves with the status and body whatever the status; rejects only when there is no answer.
 */
export function pveExchange(target: PveEndpoint, request: PveExchangeRequest): Promise<PveExchangeResponse> {
  const { method, path } = request;
  const form = new URLSearchParams(Object.entries(request.args ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const inQuery = method === "GET" || method === "DELETE";
  const url = `${target.endpoint.replace(/\/$/, "")}${request.rawPath ? "" : "/api2/json"}${path}${inQuery && form ? `?${form}` : ""}`;
  const headers: Record<string, string> = { Accept: "application/json", ...(request.headers ?? {}) };
  if (request.apiToken) headers.Authorization = `PVEAPIToken=${request.apiToken}`;
  if (!inQuery && form) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const ca = target.caCertPath ? fs.readFileSync(target.caCertPath) : undefined;
  const timeoutMs = request.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca, rejectUnauthorized: !target.insecure, agent: target.agent, timeout: timeoutMs }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", body });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    if (!inQuery && form) req.write(form);
    req.end();
  });
}

/**
 * Calls `/api2/json<path>` with the API token; form-encoded arguments as PVE expects them.
 * Resolves to the `data` of PVE's envelope; rejects with {@link PveApiError} on HTTP errors.
 * `path` segments must already be escaped.
 */
export async function pveRequest<T = unknown>(
  conn: PveConnection,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  args: Readonly<Record<string, string | number>> = {},
): Promise<T> {
  const res = await pveExchange(conn, { method, path, args, apiToken: conn.apiToken });
  if (res.status >= 400) {
    const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
    throw new PveApiError(res.status, `${method} ${path}: ${res.status} ${res.statusMessage} ${text.slice(0, 500)}`.trim());
  }
  if (typeof res.body !== "object" || res.body === null) throw new PveApiError(res.status, `${method} ${path}: answer is not JSON`);
  return (res.body as { data: T }).data;
}
