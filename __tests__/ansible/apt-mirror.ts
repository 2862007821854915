import * as fs from "fs";
import * as path from "path";

/** One `deb` source apt is configured with. */
export interface AptSource {
  /** Archive URL, e.g. `http://deb.debian.org/debian`. */
  readonly uri: string;
  /** Suites, e.g. `["bookworm", "bookworm-updates"]`. */
  readonly suites: readonly string[];
  /** File the source was read from (for error messages). */
  readonly file: string;
}

/** Environment variable that overrides the mirror found in apt's configuration. */
export const MIRROR_OVERRIDE_ENV = "PROXMOX_CDK_DEBIAN_MIRROR";

/** Parses a one-line-style sources.list (`deb [options] uri suite component...`). */
export function parseSourcesList(text: string, file: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    // Options in brackets may contain spaces ("[arch=amd64 signed-by=...]"): drop them first.
    const words = line
      .replace(/\[[^\]]*\]/, " ")
      .split(/\s+/)
      .filter(Boolean);
    if (words[0] !== "deb" || words.length < 3) continue;
    sources.push({ uri: words[1], suites: [words[2]], file });
  }
  return sources;
}

/** Parses a deb822-style .sources file (stanzas of `Field: value` separated by blank lines). */
export function parseDeb822Sources(text: string, file: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let current: string | undefined;
    for (const line of stanza.split("\n")) {
      if (line.startsWith("#")) continue;
      const field = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (field) {
        current = field[1].toLowerCase();
        fields.set(current, field[2].trim());
      } else if (current && /^\s/.test(line)) {
        fields.set(current, `${fields.get(current)} ${line.trim()}`);
      }
    }
    if (fields.get("enabled")?.toLowerCase() === "no") continue;
    if (!(fields.get("types") ?? "").split(/\s+/).includes("deb")) continue;
    const suites = (fields.get("suites") ?? "").split(/\s+/).filter(Boolean);
    for (const uri of (fields.get("uris") ?? "").split(/\s+/).filter(Boolean)) {
      sources.push({ uri, suites, file });
    }
  }
  return sources;
}

/** Reads every source apt itself reads: sources.list plus sources.list.d/*.list and *.sources. */
export function readAptSources(aptDir = "/etc/apt"): AptSource[] {
  const files: string[] = [];
  const main = path.join(aptDir, "sources.list");
  if (fs.existsSync(main)) files.push(main);
  const dropIns = path.join(aptDir, "sources.list.d");
  if (fs.existsSync(dropIns)) {
    for (const name of fs.readdirSync(dropIns).sort()) {
      if (name.endsWith(".list") || name.endsWith(".sources")) files.push(path.join(dropIns, name));
    }
  }
  return files.flatMap((file) => {
    const text = fs.readFileSync(file, "utf8");
    return file.endsWith(".sources") ? parseDeb822Sources(text, file) : parseSourcesList(text, file);
  });
}

/**
 * The Debian mirror this machine's apt uses for `suite` (the first source serving exactly that suite),
 * unless PROXMOX_CDK_DEBIAN_MIRROR overrides it.
 */
export function findDebianMirror(suite: string, aptDir = "/etc/apt", env = process.env): string {
  const override = env[MIRROR_OVERRIDE_ENV];
  if (override) return override;
  const match = readAptSources(aptDir).find((s) => s.suites.includes(suite));
  if (!match) {
    throw new Error(
      `No apt source in ${aptDir}/sources.list* serves Debian "${suite}", so there is no mirror to debootstrap from: ` +
        `set ${MIRROR_OVERRIDE_ENV}=http://deb.debian.org/debian (or your local mirror).`,
    );
  }
  return match.uri;
}
