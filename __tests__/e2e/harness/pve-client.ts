import * as fs from "fs";
import * as https from "https";

/** Where and as whom to call a simulator. */
export interface PveTarget {
  readonly endpoint: string;
  /** CA certificate to verify the server with. */
  readonly caCertPath: string;
}

/** Options of one {@link pveCall}. */
export interface PveCallOptions {
  /** Full API token `user@realm!name=secret` (sent as `PVEAPIToken=`); omit for none. */
  readonly token?: string;
  /** Arguments: query string for GET/DELETE, form body for POST/PUT. */
  readonly args?: Readonly<Record<string, string | number>>;
  /** Extra headers (Cookie, CSRFPreventionToken, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Raw path after the endpoint, used as is (no `/api2/json` prefix added, no escaping). */
  readonly rawPath?: boolean;
}

/** An API answer: status line and parsed JSON body. */
export interface PveAnswer {
  readonly status: number;
  readonly statusMessage: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/**
 * Calls the simulator's API over HTTPS, verifying its certificate against the simulator's CA,
 * with form-encoded arguments as bpg/proxmox sends them. `path` is relative to `/api2/json`
 * (already escaped by the caller, e.g. `/access/users/ci%40pve`).
 */
export function pveCall(target: PveTarget, method: string, path: string, options: PveCallOptions = {}): Promise<PveAnswer> {
  const form = new URLSearchParams(Object.entries(options.args ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const inQuery = method === "GET" || method === "DELETE";
  const base = target.endpoint.replace(/\/$/, "");
  const url = `${base}${options.rawPath ? "" : "/api2/json"}${path}${inQuery && form ? `?${form}` : ""}`;
  const headers: Record<string, string> = { Accept: "application/json", ...(options.headers ?? {}) };
  if (options.token) headers.Authorization = `PVEAPIToken=${options.token}`;
  if (!inQuery && form) headers["Content-Type"] = "application/x-www-form-urlencoded";
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: fs.readFileSync(target.caCertPath) }, (res) => {
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
    req.on("error", reject);
    if (!inQuery && form) req.write(form);
    req.end();
  });
}
