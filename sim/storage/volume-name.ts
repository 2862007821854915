import { PveError } from "../pve-error";

/**
 * File and volume names as pve-storage accepts them. Every name a caller gives for a file in a
 * storage (upload, download-url, SSH uploads) or a volume id it names goes through here, so a
 * `../`, an absolute path or a NUL never becomes a path.
 */

/**
 * pve-storage's `PVE::Storage::normalize_content_filename` (used by the `upload` and
 * `download-url` API calls): drops a trailing newline, everything up to the last `/` or `\`,
 * and replaces every character other than `[a-zA-Z0-9_.-]` with `_`. `../../etc/x.iso` becomes
 * `x.iso`, `a\0b.iso` becomes `a_b.iso`.
 */
export function normalizeContentFilename(filename: string): string {
  return filename
    .replace(/\n$/, "")
    .replace(/^[\s\S]*[/\\]/, "")
    .replace(/[^a-zA-Z0-9_.-]/g, "_");
}

const ISO = /^iso\/([^/]+\.(?:iso|img))$/i;
const VZTMPL = /^vztmpl\/([^/]+\.(?:tar(?!\.)|tar\.(?:gz|xz|zst|bz2)))$/i;
const SNIPPET = /^snippets\/([^/]+)$/;
const IMPORT = /^import\/([ a-zA-Z0-9\-.+=_]+\.(?:ova|ovf|qcow2|raw|vmdk))$/;
const OVA_MEMBER = /^import\/([ a-zA-Z0-9\-.+=_]+\.ova\/[ a-zA-Z0-9\-.+=_]+\.(?:qcow2|raw|vmdk))$/;
const DIR_IMAGE = /^(?:(?:vm-|base-|subvol-)\d+-[^/\s]+|(?:base-)?[^/\s]+)\.(?:raw|qcow2|vmdk|subvol)$/;

function dirImageName(name: string, volname: string): void {
  if (/^snap-.*\.qcow2$/.test(name)) throw new PveError(500, `'${name}' is a snapshot filename, not a volume!`);
  if (!DIR_IMAGE.test(name)) throw new PveError(500, `unable to parse volume filename '${name}' (volume '${volname}')`);
}

/**
 * Checks a volume name the way the storage's plugin parses it (pve-storage `parse_volname`):
 * the dir plugin accepts `<vmid>/<image>`, `<vmid>/<base>/<vmid>/<image>`, `iso/…`, `vztmpl/…`,
 * `snippets/<name>` and `import/…` with no further `/`; LVM-thin accepts
 * `vm-<vmid>-…`/`base-<vmid>-…` without whitespace or `/`. Throws PVE's 500 otherwise.
 */
export function checkVolname(storageType: string, volname: string): void {
  if (volname.includes("\0")) throw new PveError(500, `unable to parse volume name '${volname.replace(/\0/g, "\\0")}'`);
  if (storageType === "lvmthin") {
    if (!/^[a-z0-9][a-z0-9\-_.]*[a-z0-9]$/i.test(volname)) throw new PveError(500, `lvm name '${volname}' contains illegal characters`);
    if (!/^(?:vm|base)-\d+-\S+$/.test(volname)) throw new PveError(500, `unable to parse lvm volume name '${volname}'`);
    return;
  }
  const linked = /^(\d+)\/(\S+)\/(\d+)\/(\S+)$/.exec(volname);
  if (linked) {
    dirImageName(linked[2], volname);
    dirImageName(linked[4], volname);
    return;
  }
  const image = /^(\d+)\/(\S+)$/.exec(volname);
  if (image) return dirImageName(image[2], volname);
  if ([ISO, VZTMPL, SNIPPET, OVA_MEMBER, IMPORT].some((re) => re.test(volname))) return;
  throw new PveError(500, `unable to parse directory volume name '${volname}'`);
}

/** Whether {@link checkVolname} accepts the name. */
export function isValidVolname(storageType: string, volname: string): boolean {
  try {
    checkVolname(storageType, volname);
    return true;
  } catch {
    return false;
  }
}
