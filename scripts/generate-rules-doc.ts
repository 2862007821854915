/**
 * Writes docs/RULES.md from the rule files (policy/rules/*.ts): `npx tsx scripts/generate-rules-doc.ts`.
 * `--check` only compares and exits 1 when the committed file is stale.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";
import { renderRulesDoc } from "../policy/rules-doc";

const target = path.join(__dirname, "..", "docs", "RULES.md");
const expected = renderRulesDoc();

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    current = "";
  }
  if (current !== expected) {
    console.error(`${path.relative(process.cwd(), target)} is out of date — run: npx tsx scripts/generate-rules-doc.ts`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), target)} is up to date.`);
} else {
  writeFileAtomic(target, expected);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
