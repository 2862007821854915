import * as fs from "fs";
import { scalarText } from "../terraform/scalar-text";
import * as path from "path";

/** One stack of a synthesised cdktf app, as its `manifest.json` lists it. */
export interface ManifestStack {
  /** Stack name (the id given to `new TerraformStack(app, id)`). */
  readonly name: string;
  /** Terraform working directory of the stack, absolute, inside the output folder. */
  readonly workdir: string;
  /** The stack's annotations (cdktf `Annotations.of(c).addError/addWarning/addInfo`, the PolicyPack's findings). */
  readonly annotations: readonly ManifestAnnotation[];
}

/** One annotation of a stack: where, how serious, what. */
export interface ManifestAnnotation {
  readonly constructPath: string;
  /** cdktf's level: `@cdktf/error`, `@cdktf/warn`, `@cdktf/info`. */
  readonly level: string;
  readonly message: string;
}

/** The stacks of a synthesised app, by name, in the manifest's order. */
export interface AppManifest {
  /** `<outdir>/manifest.json`, for messages. */
  readonly file: string;
  readonly stacks: readonly ManifestStack[];
}

/** Stack names the CLI accepts in `--stack` and writes into file names and inventory groups. */
export const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads `<outdir>/manifest.json` as cdktf writes it (`{ version, stacks: { <name>: { workingDirectory,
 * annotations, … } } }`). The document comes from the user's app: every field is checked, a stack
 * name outside {@link STACK_NAME} is refused whether or not `--stack` names it, and a working
 * directory that leaves the output folder is refused (terraform would run there).
 */
export function readAppManifest(outdir: string): AppManifest {
  const file = path.join(outdir, "manifest.json");
  if (!fs.existsSync(file)) {
    throw new Error(`the app wrote no ${file}: it must call \`app.synth()\` (cdktf's App writes the manifest into CDKTF_OUTDIR).`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file} is not JSON: ${(e as Error).message}`);
  }
  const stacks = isObject(doc) ? doc.stacks : undefined;
  if (!isObject(stacks)) throw new Error(`${file} has no "stacks" object: is it a cdktf manifest?`);
  const root = path.resolve(outdir);
  return {
    file,
    stacks: Object.entries(stacks).map(([name, entry]) => {
      // The name becomes a folder, a state file name, an inventory group and a terraform argument.
      if (!STACK_NAME.test(name)) {
        throw new Error(
          `${file}: stack name ${JSON.stringify(name)} is refused — a stack name starts with a letter or digit and uses only letters, digits, "_", "." and "-" (at most 100): rename the TerraformStack in the app.`,
        );
      }
      const where = `${file}: stack "${name}"`;
      if (!isObject(entry) || typeof entry.workingDirectory !== "string") throw new Error(`${where} has no "workingDirectory".`);
      const workdir = path.resolve(root, entry.workingDirectory);
      if (!workdir.startsWith(root + path.sep)) throw new Error(`${where}: workingDirectory "${entry.workingDirectory}" is outside ${root}.`);
      const annotations = Array.isArray(entry.annotations) ? entry.annotations.filter(isObject) : [];
      return {
        name,
        workdir,
        annotations: annotations.map((a) => ({
          constructPath: scalarText(a.constructPath ?? ""),
          level: scalarText(a.level ?? ""),
          message: scalarText(a.message ?? ""),
        })),
      };
    }),
  };
}

/**
 * The stack to work on: the one named, or the only one. Without a name an app of several stacks is
 * ambiguous; a name the app does not synthesise is an error. Both name the stacks there are.
 */
export function selectStack(manifest: AppManifest, name?: string): ManifestStack {
  const names = manifest.stacks
    .map((s) => `"${s.name}"`)
    .sort()
    .join(", ");
  if (manifest.stacks.length === 0) throw new Error(`the app synthesised no stack (${manifest.file} lists none): add a TerraformStack to it.`);
  if (name === undefined) {
    if (manifest.stacks.length === 1) return manifest.stacks[0];
    throw new Error(`the app has ${manifest.stacks.length} stacks (${names}): choose one with --stack.`);
  }
  const found = manifest.stacks.find((s) => s.name === name);
  if (!found) throw new Error(`the app has no stack "${name}": its stacks are ${names}.`);
  return found;
}

/** The error annotations of a stack as lines (`<construct path>: <message>`); cdktf's synth fails on them. */
export function stackErrors(stack: ManifestStack): string[] {
  return stack.annotations.filter((a) => a.level === "@cdktf/error").map((a) => `${a.constructPath}: ${a.message}`);
}
