/**
 * An error answered the way PVE answers it: HTTP status, a status message, and for parameter
 * problems the `{"errors": {"param": "message"}}` map.
 */
export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "PveError";
  }
}

/** 400 with PVE's per-parameter error map. */
export function parameterError(errors: Record<string, string>): PveError {
  return new PveError(400, "Parameter verification failed.", errors);
}

/**
 * "Does not exist" as PVE reports it for configs and objects: 500 with the message
 * (e.g. `Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist`).
 */
export function doesNotExist(message: string): PveError {
  return new PveError(500, message);
}

/** 403 as PVE's permission check answers it. */
export function permissionDenied(path: string, privs: readonly string[]): PveError {
  return new PveError(403, `Permission check failed (${path}, ${privs.join("|")})`);
}
