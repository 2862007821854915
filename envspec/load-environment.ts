import * as fs from "fs";
import * as path from "path";
import type { EnvironmentSpec } from "./environment-schema";
import { SpecError } from "./spec-error";
import { formatPath, SpecPath } from "./spec-issue";
import { validateEnvironment } from "./validate-environment";
import { readYaml } from "./yaml-source";

/**
 * Parses and validates an environment spec from YAML text. Returns the spec only if it is valid;
 * otherwise throws one {@link SpecError} listing every problem with its `file:line:col`, so the
 * caller has nothing half-valid to act on.
 *
 * @param text YAML source.
 * @param fileName Name used in problem positions, e.g. `environments/prod.yaml`.
 */
export function parseEnvironment(text: string, fileName: string): EnvironmentSpec {
  return parseLocatedEnvironment(text, fileName).spec;
}

/** A valid spec and a way to find where each of its parts is written. */
export interface LocatedEnvironment {
  readonly spec: EnvironmentSpec;
  /** File, line and column of the key at `path` (e.g. `["tiers", "web"]`), or of its nearest written ancestor. */
  readonly locate: (path: SpecPath) => { readonly file: string; readonly line: number; readonly col: number };
}

/** {@link parseEnvironment}, also returning the source positions (for findings that point at the YAML). */
export function parseLocatedEnvironment(text: string, fileName: string): LocatedEnvironment {
  const source = readYaml(text, fileName);
  const result = validateEnvironment(source.data);
  if (result.success) return { spec: result.spec, locate: (path) => ({ file: fileName, ...source.locate(path, "key") }) };
  throw new SpecError(
    result.issues.map((issue) => {
      const { line, col } = source.locate(issue.path, issue.at);
      return { file: fileName, line, col, path: formatPath(issue.path), message: issue.message };
    }),
  );
}

/**
 * Reads, parses and validates `environments/<name>.yaml` (see {@link parseEnvironment}), and
 * refuses a spec whose `name` is not the file's base name: everything that names an environment
 * (the CLI's argument, the console's links, the state folder) goes by the file, so a
 * `staging.yaml` saying `name: prod` would plan prod from staging's page.
 * Problems are reported under the path exactly as given.
 */
export function loadEnvironment(file: string): EnvironmentSpec {
  return loadLocatedEnvironment(file).spec;
}

/** {@link loadEnvironment}, also returning the source positions. */
export function loadLocatedEnvironment(file: string): LocatedEnvironment {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file; create it from environments/dev.yaml" : (e as Error).message;
    throw new SpecError([{ file, line: 1, col: 1, path: "", message: `cannot read the environment spec: ${reason}` }]);
  }
  const located = parseLocatedEnvironment(text, file);
  const base = path.basename(file).replace(/\.ya?ml$/, "");
  if (located.spec.name !== base) {
    const { line, col } = located.locate(["name"]);
    throw new SpecError([
      {
        file,
        line,
        col,
        path: "name",
        message: `is "${located.spec.name}" but the file is ${path.basename(file)}: an environment's name is its file's name; set name: ${base}, or rename the file to ${located.spec.name}.yaml`,
      },
    ]);
  }
  return located;
}
