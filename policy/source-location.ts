import * as path from "path";
import { IConstruct } from "constructs";

/** Where a construct was declared: a spec file position (1-based), or a TypeScript file as a fallback. */
export interface SourceLocation {
  /** File path, relative to the working directory when it lies inside it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
}

/** Metadata type under which a construct's source location is stored. */
export const SOURCE_METADATA_TYPE = "proxmox-cdk:source";

/**
 * Records where `construct` came from (e.g. the YAML position of the spec entry a stack built it
 * from). Findings on the construct and on its children point there; the nearest record wins.
 */
export function setSourceLocation(construct: IConstruct, location: SourceLocation): void {
  if (!location.file || !Number.isInteger(location.line) || location.line < 1 || !Number.isInteger(location.col) || location.col < 1) {
    throw new Error(
      `setSourceLocation(${construct.node.path}): ${JSON.stringify(location)} is not a source location — give a file and 1-based integer line and col.`,
    );
  }
  construct.node.addMetadata(SOURCE_METADATA_TYPE, { file: location.file, line: location.line, col: location.col });
}

/**
 * Records the TypeScript line that called this function as the construct's source location, for
 * stacks written in code rather than from a spec (cdktf records no construction stack traces).
 */
export function captureSourceLocation(construct: IConstruct): void {
  const frames = parseFrames(new Error().stack ?? "");
  const caller = frames.find((f) => path.resolve(f.file) !== path.resolve(__filename));
  if (caller) setSourceLocation(construct, caller);
}

/**
 * The source location of a construct: the nearest {@link setSourceLocation} record on it or an
 * ancestor; otherwise the first frame outside node_modules of any stack trace recorded in its
 * metadata (present only when traces were enabled); otherwise undefined.
 */
export function sourceLocationOf(construct: IConstruct): SourceLocation | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const entry = [...scope.node.metadata].reverse().find((m) => m.type === SOURCE_METADATA_TYPE);
    if (entry) return entry.data as SourceLocation;
  }
  for (const entry of construct.node.metadata) {
    if (!entry.trace || entry.trace.length === 0) continue;
    const frame = parseFrames(entry.trace.join("\n"))[0];
    if (frame) return frame;
  }
  return undefined;
}

/** Stack frames (`at fn (file:line:col)` or `at file:line:col`) outside node_modules and node internals. */
function parseFrames(stack: string): SourceLocation[] {
  const frames: SourceLocation[] = [];
  for (const line of stack.split("\n")) {
    const m = /\(?((?:[A-Za-z]:)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m || !line.includes("at ")) continue;
    const file = m[1].replace(/^file:\/\//, "");
    if (file.includes("node_modules") || file.startsWith("node:") || !path.isAbsolute(file)) continue;
    const relative = path.relative(process.cwd(), file);
    frames.push({ file: relative.startsWith("..") ? file : relative, line: Number(m[2]), col: Number(m[3]) });
  }
  return frames;
}
