import { z } from "zod";
import { describeValue } from "./describe-value";

/**
 * String identifier formats of the spec. Each is one regular expression (so structured-output
 * engines can enforce it from the JSON Schema `pattern`) and one error message that says what is
 * allowed. Patterns avoid `\d`, `\w` and lookarounds, which not every grammar engine supports.
 */
export function patterned(pattern: RegExp, what: string, description: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `expected ${what}, got ${describeValue(issue.input)}`) })
    .regex(pattern, { error: (issue) => `must be ${what}, got ${describeValue(issue.input)}` })
    .describe(description);
}

/** Environment, tier and template names: a lowercase DNS label that starts with a letter. */
export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_TEXT = 'a DNS label (lowercase letters, digits and "-", starting with a letter, not ending with "-", at most 63 characters)';

/** A lowercase DNS label (environment, tier and template names). */
export function dnsLabel(description: string) {
  return patterned(DNS_LABEL, DNS_LABEL_TEXT, description);
}

/** The error message for a map key that is not a DNS label (tiers, templates). */
export function dnsLabelKeyMessage(key: unknown): string {
  return `name must be ${DNS_LABEL_TEXT}, got ${describeValue(key)}`;
}

/** A Proxmox VE node name pattern (a host name label; PVE allows upper case). */
export const NODE_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A Proxmox VE node name (a host name label; PVE allows upper case). */
export const nodeName = () =>
  patterned(NODE_NAME, 'a node name (letters, digits and "-", at most 63 characters)', "Proxmox VE node name, as shown under Datacenter.");

/** An SDN zone or VNet id: PVE allows 2..8 characters, a letter first. */
export const sdnId = (description: string) =>
  patterned(/^[a-z][a-z0-9]{0,6}[a-z0-9]$/, "an SDN id (2 to 8 lowercase letters and digits, starting with a letter)", description);

/** A Linux bridge name such as `vmbr0` (an interface name has at most 15 characters). */
export const bridgeName = () =>
  patterned(
    /^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/,
    'a bridge name (a letter, then up to 14 letters, digits, "_", "." or "-", like vmbr0)',
    "Linux bridge on every node, such as vmbr0.",
  );

/**
 * A PVE resource pool id (`pve-poolid`, PVE::AccessControl::verify_poolname in
 * pve-access-control: `[A-Za-z0-9.\-_]+` nested up to three levels with "/"), except a level made
 * of dots only ("." or ".."), which PVE accepts but which would be a path step in an API URL.
 */
export const POOL_ID = /^\.*[A-Za-z0-9_-][A-Za-z0-9._-]*(\/\.*[A-Za-z0-9_-][A-Za-z0-9._-]*){0,2}$/;

/** A PVE resource pool id (`pve-poolid`). */
export const poolId = (description: string) =>
  patterned(POOL_ID, 'a pool id (letters, digits, ".", "-" and "_", not dots only, up to three levels separated by "/")', description);

/** A PVE storage id (`pve-storage-id`). */
export const storageId = () =>
  patterned(
    /^[a-z][a-z0-9_.-]*[a-z0-9]$/,
    'a storage id (lowercase letters, digits, "-", "_" and ".", starting with a letter)',
    "Proxmox VE storage id that receives the backups, ideally a Proxmox Backup Server.",
  );

/** A PVE tag (`pve-tag`, lower case only so that tags compare equal in the UI and in policy). */
export const tag = () =>
  patterned(/^[a-z0-9_][a-z0-9_+.-]{0,63}$/, 'a tag (lowercase letters, digits, "_", "+", "." and "-", at most 64 characters)', "Proxmox VE tag.");

/** A Linux user name for cloud-init. */
export const userName = () =>
  patterned(
    /^[a-z_][a-z0-9_-]{0,31}$/,
    'a Linux user name (lowercase letters, digits, "_" and "-", at most 32 characters)',
    "User that cloud-init creates, with sudo and key-only SSH login.",
  );

/**
 * A vzdump schedule in PVE's calendar-event syntax (`02:00`, `sun 01:30`, `mon..fri 22:00`).
 * Only the character set is checked here; PVE parses the rest.
 */
export const calendarEvent = () =>
  patterned(
    /^[a-z0-9*:,./ ~-]{1,128}$/,
    'a PVE calendar event such as "02:00" or "sun 01:30"',
    "When the backup job runs, in Proxmox VE calendar-event syntax (e.g. 02:00, sun 01:30).",
  );

/**
 * A short free-text comment that ends up in PVE firewall rules and in the guests' nftables rules
 * (`comment "…"`, ansible/roles/nftables): nft has no escape for a double quote inside a string, so
 * one is refused here rather than by the role on the guest, after the Proxmox side was applied.
 */
export const comment = () =>
  patterned(
    /^[^\r\n"]{0,128}$/,
    "a single line of at most 128 characters without double quotes (nftables rule comments cannot hold one)",
    "Free-text comment copied into the Proxmox firewall rule and the guests' nftables rules.",
  );
