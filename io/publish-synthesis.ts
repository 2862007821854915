import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "./atomic-write";

/**
 * Copies every file of a finished synthesis from `staging` into `outdir`, each replaced atomically
 * and the manifest last, so a reader never sees a manifest naming files not yet written. Files
 * terraform keeps in a stack's working directory (`.terraform/`, the lock file, state) are left alone.
 */
export function publishSynthesis(staging: string, outdir: string): void {
  const files = (fs.readdirSync(staging, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(staging, f)).isFile());
  const manifest = "manifest.json";
  for (const file of [...files.filter((f) => f !== manifest).sort(), ...files.filter((f) => f === manifest)]) {
    writeFileAtomic(path.join(outdir, file), fs.readFileSync(path.join(staging, file)));
  }
}
