import { scalarText } from "../terraform/scalar-text";
import { AttributePath, resourceLabel, ResourceChange } from "../terraform/terraform-plan";
import { plain } from "./markdown-text";

/** One VM line of the review: sizes before → after (Markdown, values escaped). */
export interface VmRow {
  readonly address: string;
  /** Construct path, else the Terraform address. */
  readonly label: string;
  readonly name: string;
  readonly action: string;
  readonly node: string;
  readonly cores: string;
  readonly memory: string;
  readonly disk: string;
  readonly tags: string;
}

type Attrs = Readonly<Record<string, unknown>> | null;

const first = (v: unknown): Record<string, unknown> | undefined => (Array.isArray(v) ? (v[0] as Record<string, unknown>) : undefined);

function sizes(a: Attrs): { cores?: unknown; memory?: unknown; disk?: unknown; node?: unknown; tags?: unknown; name?: unknown } {
  if (!a) return {};
  const disks = Array.isArray(a.disk) ? (a.disk as Record<string, unknown>[]) : [];
  const total = disks.reduce((s, d) => s + (typeof d.size === "number" ? d.size : 0), 0);
  return {
    cores: first(a.cpu)?.cores,
    memory: first(a.memory)?.dedicated,
    disk: disks.length ? total : undefined,
    node: a.node_name,
    tags: Array.isArray(a.tags) ? (a.tags as string[]).join(", ") : undefined,
    // A container's name is its hostname.
    name: a.name ?? first(a.initialization)?.hostname,
  };
}

function arrow(before: unknown, after: unknown, unit = ""): string {
  const f = (v: unknown) => (v === undefined || v === null ? "–" : `${plain(scalarText(v))}${unit}`);
  if (before === undefined) return f(after);
  if (after === undefined) return `${f(before)} → –`;
  return JSON.stringify(before) === JSON.stringify(after) ? f(after) : `${f(before)} → **${f(after)}**`;
}

/** Whether the VM table shows this attribute (node, name, tags, cores, memory, disk sizes). */
export function shownInVmTable(path: AttributePath): boolean {
  const [top, , leaf] = path;
  return (
    top === "node_name" ||
    top === "name" ||
    top === "tags" ||
    (top === "cpu" && leaf === "cores") ||
    (top === "memory" && leaf === "dedicated") ||
    (top === "disk" && leaf === "size")
  );
}

/** The guest resource types the review tables show, each in a table of its own. */
export const GUEST_TYPES = { vm: "proxmox_virtual_environment_vm", container: "proxmox_virtual_environment_container" } as const;

/** True for a VM or container change (whose table attributes are not listed again under "Other changes"). */
export function isGuestChange(c: ResourceChange): boolean {
  return c.type === GUEST_TYPES.vm || c.type === GUEST_TYPES.container;
}

/** Rows for every changed guest of a kind: VMs (templates included) or containers. */
export function vmRows(changes: readonly ResourceChange[], kind: keyof typeof GUEST_TYPES = "vm"): VmRow[] {
  return changes
    .filter((c) => c.type === GUEST_TYPES[kind])
    .map((c) => {
      const b = sizes(c.before);
      const a = sizes(c.after);
      return {
        address: c.address,
        label: resourceLabel(c),
        name: scalarText(a.name ?? b.name ?? c.name),
        action: c.action,
        node: arrow(b.node, a.node),
        cores: arrow(b.cores, a.cores),
        memory: arrow(b.memory, a.memory, " MiB"),
        disk: arrow(b.disk, a.disk, " GiB"),
        tags: arrow(b.tags, a.tags),
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
}
