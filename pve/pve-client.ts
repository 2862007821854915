import * as fs from "fs";
import * as https from "https";

/** How to reach and authenticate to a Proxmox VE API, as the provider's variables describe it. */
export interface PveConnection {
  /** `https://host:8006/` (PROXMOX_VE_ENDPOINT). */
  readonly endpoint: string;
  /** `user@realm!token=secret` (PROXMOX_VE_API_TOKEN). */
  readonly apiToken: string;
  /** CA bundle to verify the server with (SSL_CERT_FILE). @default system roots */
  readonly caCertPath?: string;
  /** Skip certificate verification (PROXMOX_VE_INSECURE=true). @default false */
  readonly insecure?: boolean;
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

/**
 * Calls `/api2/json<path>` with the API token; form-encoded arguments as PVE expects them.
 * Resolves to the `data` of PVE's envelope; rejects with {@link PveApiError} on HTTP errors.
 * `path` segments must already be escaped.
 */
export function pveRequest<T = unknown>(
  conn: PveConnection,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  args: Readonly<Record<string, string | number>> = {},
): Promise<T> {
  const form = new URLSearchParams(Object.entries(args).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const inQuery = method === "GET" || method === "DELETE";
  const url = `${conn.endpoint.replace(/\/$/, "")}/api2/json${path}${inQuery && form ? `?${form}` : ""}`;
  const headers: Record<string, string> = { Accept: "application/json", Authorization: `PVEAPIToken=${conn.apiToken}` };
  if (!inQuery) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const ca = conn.caCertPath ? fs.readFileSync(conn.caCertPath) : undefined;
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca, rejectUnauthorized: !conn.insecure, timeout: 30_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          reject(new PveApiError(status, `${method} ${path}: ${status} ${res.statusMessage ?? ""} ${text.slice(0, 500)}`.trim()));
          return;
        }
        try {
          resolve((JSON.parse(text) as { data: T }).data);
        } catch {
          reject(new PveApiError(status, `${method} ${path}: answer is not JSON`));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
    req.on("error", reject);
    if (!inQuery) req.write(form);
    req.end();
  });
}
