/**
 * Writes the hostile spec corpus, __tests__/envspec/hostile/*.yaml: every mutation of
 * scripts/hostile-specs/ applied to each shipped environment (environments/dev.yaml,
 * staging.yaml, prod.yaml). Each file starts with the header __tests__/envspec/broken-corpus.test.ts
 * reads: `# expect: <line>:<col> <text>` per problem the loader must report, or
 * `# means: <path> = <JSON>` per value an accepted spec must load as. The expectations come from
 * the mutation (where it planted what), never from running the loader.
 * Run: `npx tsx scripts/generate-hostile-specs.ts`. A test fails when the committed corpus is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";
import { BaseSpec, HostileCase, lineCol, NamedMutation } from "./hostile-specs/mutation";
import { VALUE_MUTATIONS } from "./hostile-specs/value-mutations";
import { YAML_MUTATIONS } from "./hostile-specs/yaml-mutations";

const ROOT = path.join(__dirname, "..");
/** Where the corpus is committed. */
export const HOSTILE_DIR = path.join(ROOT, "__tests__", "envspec", "hostile");
const BASES = ["dev", "staging", "prod"] as const;

/** Every mutation, YAML forms first. */
export const MUTATIONS: readonly NamedMutation[] = [...YAML_MUTATIONS, ...VALUE_MUTATIONS];

/** The cases: each mutation applied to each shipped environment it fits. */
export function hostileCases(root = ROOT): HostileCase[] {
  const cases: HostileCase[] = [];
  const ids = new Set<string>();
  for (const name of BASES) {
    const base: BaseSpec = { name, text: fs.readFileSync(path.join(root, "environments", `${name}.yaml`), "utf8") };
    for (const mutation of MUTATIONS) {
      const made = mutation.mutate(base);
      if (made === undefined) continue;
      const id = `${name}-${mutation.id}`;
      if (ids.has(id)) throw new Error(`hostile corpus: two mutations are named ${mutation.id}`);
      ids.add(id);
      cases.push({ id, ...made });
    }
  }
  return cases;
}

/** The file text of a case: header, then the (possibly CR-only) body. */
export function caseFile(c: HostileCase, base: string): string {
  const about = `# case: ${c.about} (scripts/generate-hostile-specs.ts, from environments/${base}.yaml)`;
  const headerLines = (c.problems?.length ?? 0) + (c.means?.length ?? 0) + 1;
  const header = [
    ...(c.problems ?? []).map((p) => {
      const { line, col } = p.fileStart ? { line: 1, col: 1 } : lineCol(c.body, p.offset);
      return `# expect: ${p.fileStart ? line : line + headerLines}:${col} ${p.text}`;
    }),
    ...(c.means ?? []).map((m) => `# means: ${m.path} = ${JSON.stringify(m.value)}`),
    about,
  ];
  const body = c.crOnly ? c.body.replace(/\n/g, "\r") : c.body;
  return `${c.bom ? "\uFEFF" : ""}${header.join("\n")}\n${body}`;
}

/** The corpus as file name → content. */
export function hostileCorpus(root = ROOT): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of hostileCases(root)) files.set(`${c.id}.yaml`, caseFile(c, c.id.split("-")[0]));
  return files;
}

if (require.main === module) {
  const corpus = hostileCorpus();
  fs.mkdirSync(HOSTILE_DIR, { recursive: true });
  for (const stale of fs.readdirSync(HOSTILE_DIR).filter((f) => f.endsWith(".yaml") && !corpus.has(f))) fs.rmSync(path.join(HOSTILE_DIR, stale));
  for (const [file, text] of corpus) writeFileAtomic(path.join(HOSTILE_DIR, file), text);
  console.log(`wrote ${corpus.size} hostile specs to ${path.relative(process.cwd(), HOSTILE_DIR)}`);
}
