import { PveEndpoint, pveExchange, PveExchangeResponse } from "../../../pve/pve-client";

/** Where to call a simulator (what {@link startSimulator} returns satisfies it). */
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

/** An API answer: status line and parsed JSON body (typed loosely for assertions). */
export interface PveAnswer extends PveExchangeResponse {
  readonly body: any;
}

/**
 * Calls the simulator's API with the product client (`pve/pve-client.ts`) over verified TLS,
 * resolving whatever the status so tests can assert on it. `path` is relative to `/api2/json`
 * (already escaped by the caller, e.g. `/access/users/ci%40pve`).
 */
export function pveCall(target: PveTarget, method: string, path: string, options: PveCallOptions = {}): Promise<PveAnswer> {
  const endpoint: PveEndpoint = { endpoint: target.endpoint, caCertPath: target.caCertPath };
  return pveExchange(endpoint, { method, path, args: options.args, apiToken: options.token, headers: options.headers, rawPath: options.rawPath });
}
