import type { SimContext } from "./context";
import type { UploadedFile } from "./request-body";

/** HTTP methods the PVE API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** The authenticated caller of a request. */
export interface AuthContext {
  /** PVE user id, e.g. `root@pam` or `terraform@pve`. */
  readonly userid: string;
  /** Token id (the part after `!`) when the call used an API token. */
  readonly tokenid?: string;
}

/**
 * One API request after routing, authentication, privilege checks and schema validation.
 * Handlers never see a request the schema would reject.
 */
export interface ApiRequest {
  readonly method: HttpMethod;
  /** Concrete path with every segment unescaped and no trailing slash, e.g. `/nodes/pve1/qemu/100/config`. */
  readonly path: string;
  /** The schema's path template, e.g. `/nodes/{node}/qemu/{vmid}/config`. */
  readonly template: string;
  /** Path parameters, unescaped (`{ node: "pve1", vmid: "100" }`). */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Query string (GET/DELETE) or form body (POST/PUT) arguments, as sent (strings). Repeated keys
   * (array parameters) are joined with NUL (`\0`), as PVE's CGI layer does.
   */
  readonly args: Readonly<Record<string, string>>;
  /** Who is calling. */
  readonly auth: AuthContext;
  /** Files of a multipart upload by form field (the field's `args` entry holds the file name). */
  readonly files?: Readonly<Record<string, UploadedFile>>;
}

/**
 * Handles one route. Returns the value for PVE's `{"data": …}` envelope (`null` for none);
 * booleans must already be PVE's 0/1 and integers real numbers exactly where PVE sends them.
 * Throw {@link PveError} for API errors.
 */
export type Handler = (req: ApiRequest, sim: SimContext) => unknown; // the value, or a Promise of it

/** A route: method + schema path template + handler. */
export interface Route {
  readonly method: HttpMethod;
  readonly template: string;
  readonly handler: Handler;
  /**
   * Largest request body the route reads (bigger ones answer 501 `for data too large` unread).
   * @default MAX_POST_BYTES (512 KiB, pveproxy's limit for non-upload requests)
   */
  readonly maxBodyBytes?: number;
}

/** Declares a route. `template` must be a path of the PVE API schema (apidata). */
export function route(method: HttpMethod, template: string, handler: Handler, options: { readonly maxBodyBytes?: number } = {}): Route {
  return { method, template, handler, ...options };
}
