import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../io/atomic-write";
import type { SimState } from "./sim-state";

/** Marker of the simulator's state files, checked on load. */
const FORMAT = "proxmox-cdk-sim-state";
const VERSION = 1;

interface StateDocument {
  format: typeof FORMAT;
  version: number;
  slices: Record<string, unknown>;
}

/**
 * Reads the slices saved in `file`; an absent file yields undefined (a fresh simulator).
 * Anything unreadable is an error naming the file: the simulator never silently resets state.
 */
export function loadStateFile(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Simulator state file ${file} cannot be read: ${(e as Error).message}`);
  }
  const fix = "move it away to start with a fresh state, or restore a backup";
  let doc: StateDocument;
  try {
    doc = JSON.parse(text) as StateDocument;
  } catch (e) {
    throw new Error(`Simulator state file ${file} is corrupt (${(e as Error).message}): ${fix}.`);
  }
  if (doc === null || typeof doc !== "object" || doc.format !== FORMAT || typeof doc.slices !== "object" || doc.slices === null) {
    throw new Error(`Simulator state file ${file} is not a proxmox-cdk simulator state (no "format": "${FORMAT}"): ${fix}.`);
  }
  if (doc.version !== VERSION) {
    throw new Error(`Simulator state file ${file} has version ${doc.version}, this simulator reads version ${VERSION}: ${fix}.`);
  }
  removeStaleTempFiles(file);
  return doc.slices;
}

/** Writes the state atomically (old or new content, never a part), readable by the owner only. */
export function saveStateFile(file: string, state: SimState): void {
  const doc: StateDocument = { format: FORMAT, version: VERSION, slices: state.toJSON() };
  writeFileAtomic(file, JSON.stringify(doc), 0o600);
}

/** Temporary files of writes interrupted by a crash (see io/atomic-write.ts) are garbage. */
function removeStaleTempFiles(file: string): void {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith(".tmp")) fs.rmSync(path.join(dir, name), { force: true });
  }
}
