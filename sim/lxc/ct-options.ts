import { ApiSchema, SchemaProperty } from "../api-schema";
import { findParameter } from "../param-validation";
import type { PropertyFormat } from "../property-string";
import { randomMac } from "../qemu/net";
import { parseBoolean, parseProps, parseSize, printProps } from "../qemu/config-schema";

/**
 * The container configuration options as the PVE schema describes them (the parameters of
 * `POST /nodes/{node}/lxc`, pve-container's `json_config_properties`), and how PVE parses and
 * prints the property-string ones (`rootfs`, `mpN`, `netN`, `features`).
 */

let cachedProps: Readonly<Record<string, SchemaProperty>> | undefined;

function configProps(): Readonly<Record<string, SchemaProperty>> {
  cachedProps ??= ApiSchema.bundled().method("/nodes/{node}/lxc", "POST")?.parameters?.properties ?? {};
  return cachedProps;
}

/** Parameters of `POST /nodes/{node}/lxc` that steer the request instead of becoming config. */
export const CT_REQUEST_ONLY: ReadonlySet<string> = new Set([
  "node",
  "vmid",
  "ostemplate",
  "password",
  "storage",
  "force",
  "restore",
  "unique",
  "pool",
  "ignore-unpack-errors",
  "ssh-public-keys",
  "bwlimit",
  "start",
  "ha-managed",
]);

/** The schema of container option `key` (`net3` → `net[n]`), or undefined (PVE's `option_exists` is false). */
export function ctOptionSchema(key: string): SchemaProperty | undefined {
  if (CT_REQUEST_ONLY.has(key)) return undefined;
  return findParameter(configProps(), key);
}

/** The property-string format of `rootfs`, `mpN`, `netN`, `features`, `unusedN`, `devN`. */
export function ctOptionFormat(key: string): PropertyFormat {
  const format = ctOptionSchema(key)?.format;
  if (!format || typeof format === "string") throw new Error(`internal error: option '${key}' is not a property string`);
  return format;
}

/** Whether `key` names a volume option (`rootfs` or `mpN`). */
export function isMountKey(key: string): boolean {
  return key === "rootfs" || /^mp\d+$/.test(key);
}

/** pve-container's `$NEW_DISK_RE` (`local-lvm:8`, `local-lvm:0.5`): storage and size in GiB. */
export function newDiskRequest(volume: string): { storeid: string; sizeGiB: number } | undefined {
  const m = /^([^:\s]+):(\d+(?:\.\d+)?)$/.exec(volume);
  return m ? { storeid: m[1], sizeGiB: Number(m[2]) } : undefined;
}

/** A parsed mount point with its `type` (`volume`, `bind`, `device`), as `parse_volume` + `classify_mountpoint` give it. */
export interface MountPoint extends Record<string, string> {
  volume: string;
  type: "volume" | "bind" | "device";
}

/** PVE's `parse_volume` for `rootfs`/`mpN`. Throws PVE's parse message on malformed input. */
export function parseMountPoint(key: string, value: string): MountPoint {
  const res = parseProps(ctOptionFormat(key), value);
  if (res.volume === undefined) throw new Error(`${key}: missing volume`);
  if (/^mp\d+$/.test(key) && res.mp === undefined) throw new Error(`${key}: mount point path 'mp' is missing`);
  const type = res.volume.startsWith("/dev/") ? "device" : res.volume.startsWith("/") ? "bind" : "volume";
  if (res.size !== undefined) {
    const bytes = parseSize(res.size);
    if (bytes === undefined) throw new Error(`size: unable to parse size '${res.size}'`);
    res.size = String(bytes);
  }
  return { ...res, volume: res.volume, type };
}

/** PVE's `print_ct_mountpoint`: `local-lvm:vm-100-disk-0,mp=/srv,size=8G` (type not printed). */
export function printMountPoint(key: string, mp: Readonly<Record<string, string>>): string {
  const data: Record<string, string> = { ...mp };
  delete data.type;
  return printProps(ctOptionFormat(key), data);
}

/**
 * PVE's `parse_lxc_network` + `print_lxc_network`: the stored form of a `netN` value, with
 * `type=veth` and a generated `hwaddr` when none was given, `name` first.
 */
export function normaliseCtNet(key: string, value: string, random: () => number): string {
  const net = parseProps(ctOptionFormat(key), value);
  net.type = "veth";
  net.hwaddr ??= randomMac(random);
  return printProps(ctOptionFormat(key), net);
}

/** PVE's `parse_lxc_network` without a generated MAC (for checks). */
export function parseCtNet(key: string, value: string): Record<string, string> {
  return parseProps(ctOptionFormat(key), value);
}

/** PVE's `parse_features`: `{}` for none. */
export function parseFeatures(value: string | undefined): Record<string, string> {
  return value ? parseProps(ctOptionFormat("features"), value) : {};
}

/**
 * A config value as PVE's JSON answers it: integers and booleans as numbers (`check_type` turns
 * them into Perl numbers), everything else the string from the config file.
 */
export function ctJsonValue(key: string, value: string): string | number {
  const type = ctOptionSchema(key)?.type;
  if (type === "integer" && /^-?\d+$/.test(value)) return Number(value);
  if (type === "boolean") return parseBoolean(value) ?? value;
  return value;
}

/** A config value as `check_type` stores it (booleans as `1`/`0`). */
export function ctStoredValue(key: string, value: string): string {
  const type = ctOptionSchema(key)?.type;
  if (type === "boolean") {
    const b = parseBoolean(value);
    if (b === undefined) throw new Error(`type check ('boolean') failed - got '${value}'`);
    return String(b);
  }
  return value;
}
