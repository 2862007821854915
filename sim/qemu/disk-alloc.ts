import { parameterError, PveError } from "../pve-error";
import type { SimState } from "../sim-state";
import { defaultFormat, requireStorage } from "../storage/storage-config";
import { allocImage, createBase, findVolume, freeVolume, tryParseVolumeId } from "../storage/volumes";
import { CLOUDINIT_SIZE, Drive, efiVarsSize, isCloudinit, newDiskRequest, parseDrive, printDrive, sortDriveKeys, TPMSTATE_SIZE } from "./drive";

const GiB = 1024 ** 3;

/** Where and for whom disks are created. */
export interface DiskTarget {
  readonly state: SimState;
  readonly node: string;
  readonly vmid: number;
  /** The VM's config so far (cloud-init uniqueness, template flag). */
  readonly conf: Readonly<Record<string, string>>;
  /** `storage` parameter of create: used for `8` without a storage. */
  readonly defaultStorage?: string;
}

/** Result of {@link createDisks}: the final option values and every volume allocated. */
export interface CreatedDisks {
  readonly options: Record<string, string>;
  readonly volids: string[];
}

/**
 * PVE's `check_drive_param`: every drive option parses (else `unable to parse drive options`),
 * `import-from` uses the `<storage>:0` syntax with the keys EFI and TPM disks need and names an
 * `images` or `import` volume, ISO volumes are `media=cdrom`. Rewrites the options canonically.
 */
export function checkDriveParams(params: Record<string, string>): void {
  for (const key of sortDriveKeys(Object.keys(params))) {
    const drive = tryParse(key, params[key]);
    if (!drive) throw parameterError({ [key]: "unable to parse drive options" });
    const source = drive["import-from"];
    if (source) {
      if (newDiskRequest(drive.file)?.sizeGiB !== 0) {
        throw parameterError({ [key]: "'import-from' requires special syntax - use <storage ID>:0,import-from=<source>" });
      }
      const required = key === "efidisk0" ? ["efitype", "pre-enrolled-keys"] : key === "tpmstate0" ? ["version"] : [];
      for (const r of required) if (drive[r] === undefined) throw parameterError({ [key]: `need to specify '${r}' when using 'import-from'` });
      const src = tryParseVolumeId(source);
      const vtype = src && (/^(import|iso|vztmpl|snippets|backup)\//.exec(src.volname)?.[1] ?? "images");
      if (vtype && vtype !== "images" && vtype !== "import") {
        throw parameterError({ [key]: `${source} has wrong type '${vtype}' - needs to be 'images' or 'import'` });
      }
    }
    const id = tryParseVolumeId(drive.file);
    if (id && /^iso\//.test(id.volname) && drive.media !== "cdrom") {
      throw parameterError({ [key]: "explicit 'media=cdrom' is required for iso images" });
    }
    params[key] = printDrive(key, drive);
  }
}

/** The storages a set of drive options allocates on (for storage locks), sorted. */
export function allocationStorages(settings: Readonly<Record<string, string>>, defaultStorage?: string): string[] {
  const out = new Set<string>();
  for (const key of sortDriveKeys(Object.keys(settings))) {
    const drive = tryParse(key, settings[key]);
    if (!drive) continue;
    const id = tryParseVolumeId(drive.file);
    const fresh = newDiskRequest(drive.file);
    if (id?.volname === "cloudinit") out.add(id.storeid);
    else if (fresh && (fresh.storeid ?? defaultStorage)) out.add((fresh.storeid ?? defaultStorage) as string);
  }
  return [...out].sort();
}

function tryParse(key: string, value: string): Drive | undefined {
  try {
    return parseDrive(key, value);
  } catch {
    return undefined;
  }
}

/** The key of another drive that already is a cloud-init drive, if any. */
function cloudinitKey(conf: Readonly<Record<string, string>>, created: Readonly<Record<string, string>>, except: string): string | undefined {
  for (const source of [conf, created]) {
    for (const key of sortDriveKeys(Object.keys(source))) {
      if (key === except) continue;
      const d = tryParse(key, source[key]);
      if (d && isCloudinit(d)) return key;
    }
  }
  return undefined;
}

/**
 * PVE's `create_disks`: allocates what drive options ask for — `local-lvm:8` (new 8 GiB disk),
 * `local-lvm:0,import-from=local:import/x.qcow2` (a copy of an import image, sized like it),
 * `local-lvm:cloudinit`, EFI vars and TPM state of PVE's fixed sizes — and returns the options as
 * PVE writes them (`local-lvm:vm-100-disk-0,…,size=8G`). Existing volumes are checked and get
 * their size. On error every volume allocated so far is freed.
 */
export function createDisks(target: DiskTarget, settings: Readonly<Record<string, string>>): CreatedDisks {
  const { state, node, vmid } = target;
  const options: Record<string, string> = {};
  const volids: string[] = [];
  const template = target.conf.template === "1";
  const asBase = (volid: string): string => (template ? createBase(state, node, volid) : volid);
  try {
    for (const key of sortDriveKeys(Object.keys(settings))) {
      const drive = parseDrive(key, settings[key]);
      const id = tryParseVolumeId(drive.file);
      const fresh = newDiskRequest(drive.file);
      if (drive.file === "" || drive.file === "none" || drive.file === "cdrom") {
        delete drive.size;
      } else if (id?.volname === "cloudinit") {
        const other = cloudinitKey(target.conf, options, key);
        if (other) throw new PveError(500, `${key} - cloud-init drive is already attached at '${other}'`);
        const def = requireStorage(state, id.storeid, node);
        const fmt = def.type === "dir" ? (drive.format ?? "qcow2") : (drive.format ?? "raw");
        const name = def.type === "dir" ? `vm-${vmid}-cloudinit.${fmt}` : `vm-${vmid}-cloudinit`;
        const volid = allocImage(state, node, id.storeid, vmid, fmt, name, CLOUDINIT_SIZE);
        volids.push(volid);
        drive.file = volid;
        drive.media = "cdrom";
        delete drive.format;
      } else if (fresh) {
        const storeid = fresh.storeid ?? target.defaultStorage;
        if (!storeid) throw new PveError(500, "no storage ID specified (and no default storage)");
        const def = requireStorage(state, storeid, node);
        const fmt = drive.format ?? defaultFormat(def);
        let size = fresh.sizeGiB * GiB;
        const source = drive["import-from"];
        delete drive["import-from"];
        if (source) {
          const src = findVolume(state, node, source);
          if (!src) throw new PveError(500, `cannot import from '${source}' - could not get size of ${source}`);
          if (isCloudinit({ file: source })) throw new PveError(500, `cannot import from '${source}' - cannot import from cloudinit disk`);
          size = src.virtualSize ?? src.size;
        } else if (key === "efidisk0") {
          size = efiVarsSize(drive.efitype);
          if (drive["pre-enrolled-keys"] === "1") drive["ms-cert"] = "2023k";
        } else if (key === "tpmstate0") {
          size = TPMSTATE_SIZE;
        }
        const volid = asBase(allocImage(state, node, storeid, vmid, fmt, undefined, size));
        volids.push(volid);
        drive.file = volid;
        drive.size = String(findVolume(state, node, volid)?.size ?? size);
        delete drive.format;
      } else if (id) {
        const vol = findVolume(state, node, drive.file);
        if (!vol) throw new PveError(500, `volume ${drive.file} does not exist`);
        if (vol.content !== "images" && vol.content !== "iso") {
          throw new PveError(500, `cannot use volume ${drive.file} - content type needs to be 'images' or 'iso'`);
        }
        if (drive.format && drive.format !== vol.format) {
          throw new PveError(500, `drive '${key}' - volume '${drive.file}' - 'format=${drive.format}' option different from storage format '${vol.format}'`);
        }
        drive.size = String(vol.size);
      }
      options[key] = printDrive(key, drive);
    }
  } catch (e) {
    for (const volid of volids) {
      try {
        freeVolume(state, node, volid);
      } catch {
        // best effort, as PVE's cleanup
      }
    }
    throw e;
  }
  return { options, volids };
}
