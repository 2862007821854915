import * as fs from "fs";
import * as path from "path";
import type { HttpMethod } from "./route";

/** PVE release whose API schema (apidata.js) the simulator validates against. */
export const PVE_SCHEMA_VERSION = "9.1.3";

const SCHEMA_FILE = `apidata-${PVE_SCHEMA_VERSION}.json`;

/** One property of a PVE JSON schema (parameter, property-string key or array item). */
export interface SchemaProperty {
  readonly type?: string;
  readonly optional?: 0 | 1;
  /** A named format (`pve-vmid`) or, for property strings, the keys of the string. */
  readonly format?: string | Readonly<Record<string, SchemaProperty>>;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly requires?: string;
  readonly items?: SchemaProperty;
  readonly default_key?: 0 | 1;
  readonly alias?: string;
  readonly keyAlias?: string;
  readonly oneOf?: unknown;
}

/** A permission check as apidata writes it, e.g. `["perm", "/vms/{vmid}", ["VM.Audit"]]`. */
export type PermissionCheck = readonly unknown[];

/** The `permissions` object of an API method. */
export interface SchemaPermissions {
  readonly check?: PermissionCheck;
  readonly user?: "all" | "world";
  readonly description?: string;
}

/** One method of one API path. */
export interface SchemaMethod {
  readonly method: HttpMethod;
  readonly parameters?: {
    readonly additionalProperties?: 0 | 1;
    readonly properties?: Readonly<Record<string, SchemaProperty>>;
  };
  readonly permissions?: SchemaPermissions;
  readonly allowtoken?: 0 | 1;
  readonly returns?: unknown;
}

interface SchemaNode {
  readonly path: string;
  readonly info?: Partial<Record<HttpMethod, SchemaMethod>>;
  readonly children?: readonly SchemaNode[];
}

/** The PVE API schema, indexed by path template and method. */
export class ApiSchema {
  private constructor(private readonly byTemplate: ReadonlyMap<string, Partial<Record<HttpMethod, SchemaMethod>>>) {}

  /** Loads the schema bundled with the simulator (once per process). */
  static bundled(): ApiSchema {
    if (!cached) cached = ApiSchema.fromFile(bundledSchemaFile());
    return cached;
  }

  /** Loads a schema from an apidata JSON file (an array of path nodes). */
  static fromFile(file: string): ApiSchema {
    const roots = JSON.parse(fs.readFileSync(file, "utf8")) as SchemaNode[];
    const map = new Map<string, Partial<Record<HttpMethod, SchemaMethod>>>();
    const walk = (node: SchemaNode): void => {
      map.set(node.path, node.info ?? {});
      for (const child of node.children ?? []) walk(child);
    };
    for (const root of roots) walk(root);
    return new ApiSchema(map);
  }

  /** The method's schema, or undefined when PVE has no such path or method. */
  method(template: string, method: HttpMethod): SchemaMethod | undefined {
    return this.byTemplate.get(template)?.[method];
  }

  /** Every path template of the API. */
  templates(): string[] {
    return [...this.byTemplate.keys()];
  }
}

let cached: ApiSchema | undefined;

/**
 * Where the bundled schema lives: next to this file when run from source (tsx, jest), and in the
 * source tree when run from a compiled `dist/` (tsc does not copy JSON files it does not import).
 */
function bundledSchemaFile(): string {
  const candidates = [path.join(__dirname, "schema", SCHEMA_FILE), path.join(__dirname, "..", "..", "sim", "schema", SCHEMA_FILE)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new Error(`PVE API schema ${SCHEMA_FILE} not found (looked in ${candidates.join(", ")}): ship sim/schema/ with the package.`);
  }
  return found;
}
