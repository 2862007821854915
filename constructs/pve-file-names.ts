/**
 * The file names PVE's `download-url` stores, per content type — pve-storage
 * PVE/API2/Storage/Status.pm `download_url` with the patterns of PVE/Storage.pm. Everything that
 * names a downloaded file (VmTemplate, IsoImage, the environment spec) checks it here.
 */

/** `$SAFE_CHAR_CLASS_RE`: the characters of a stored file name. */
const SAFE_CHARS = "[a-zA-Z0-9\\-.+=_]";

/**
 * `iso` content: `$ISO_EXT_RE_0` (`.iso`/`.img`, any case), with `$SAFE_CHAR_CLASS_RE` characters
 * so the name is the volume name as written.
 */
export const ISO_FILE_NAME = new RegExp(`^${SAFE_CHARS}+\\.(iso|img)$`, "i");

/**
 * `import` content: `$UPLOAD_IMPORT_EXT_RE_1` without `.ova` (an OVA is imported per disk, not as a
 * whole). The extension is the format PVE checks the untrusted file as (`file_size_info($tmp, 10,
 * $format, 1)`, qemu-img with `-f`: no detection), so it must name the image's real format.
 */
export const IMPORT_FILE_NAME = new RegExp(`^${SAFE_CHARS}+\\.(qcow2|raw|vmdk)$`);

/**
 * Why `fileName` cannot be downloaded as `import` content, with the fix, or undefined when it can.
 * `field` names where the user sets the name (`image.fileName`, `fileName`).
 */
export function importFileNameProblem(fileName: string, field: string): string | undefined {
  if (IMPORT_FILE_NAME.test(fileName)) return undefined;
  const base = fileName.replace(/\.[^.]*$/, "").replace(/[^a-zA-Z0-9\-.+=_]/g, "_") || "image";
  if (/\.img$/i.test(fileName)) {
    return (
      `image file name "${fileName}" is not one PVE imports — PVE imports only .qcow2, .raw and .vmdk files and reads them in the ` +
      `format the extension names; Ubuntu's .img cloud images are qcow2: set ${field} to "${base}.qcow2" (or "${base}.raw" for a raw image)`
    );
  }
  return `image file name "${fileName}" is not one PVE imports — set ${field} to a name of letters, digits and - . + = _ ending in .qcow2, .raw or .vmdk, the image's format`;
}

/**
 * `vztmpl` content: `$VZTMPL_EXT_RE_1` (`.tar`, `.tar.gz`, `.tar.xz`, `.tar.zst`, `.tar.bz2`, any
 * case) as `download_url` checks it, narrowed to the compressed archives PVE's own template index
 * (`pveam`) ships — .tar.gz, .tar.xz, .tar.zst — and to `$SAFE_CHAR_CLASS_RE` characters.
 */
export const VZTMPL_FILE_NAME = new RegExp(`^${SAFE_CHARS}+\\.tar\\.(gz|xz|zst)$`);

/**
 * Why `fileName` cannot be downloaded as `vztmpl` content, with the fix, or undefined when it can.
 * `field` names where the user sets the name.
 */
export function vztmplFileNameProblem(fileName: string, field: string): string | undefined {
  if (VZTMPL_FILE_NAME.test(fileName)) return undefined;
  return `container template file name "${fileName}" is not one this library downloads — set ${field} to a name of letters, digits and - . + = _ ending in .tar.gz, .tar.xz or .tar.zst (the archive's real compression)`;
}
