import type { ResolvedEnvironment } from "../spec";

/** Ids in an environment's default block: room for the largest environment (2000 VMs + 16 templates). */
export const DEFAULT_VM_ID_BLOCK = 10_000;

/**
 * First id of the default blocks: just above 999,999, the highest id pve-manager's `nextid` hands
 * out by default (`PVE/API2/Cluster.pm`, `next-id` upper bound 1,000,000), so a VM made by hand or
 * by a configuration without explicit ids never takes one of them.
 */
export const DEFAULT_VM_ID_BASE = 1_000_000;

/** Number of default blocks below PVE's highest VM id (999,999,999). */
const DEFAULT_BLOCKS = Math.floor((999_999_999 - DEFAULT_VM_ID_BASE + 1) / DEFAULT_VM_ID_BLOCK);

/** FNV-1a (32 bit) of a string: a stable, well-spread number for the environment's name. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The ids an environment without `vmIdRange` uses: a block of {@link DEFAULT_VM_ID_BLOCK} ids above
 * {@link DEFAULT_VM_ID_BASE}, chosen by a hash of the environment's name (the same on every synth;
 * two environments share a block with a chance of about 1 in 99,900 — set `vmIdRange` to rule it out).
 */
export function defaultVmIdRange(envName: string): { readonly start: number; readonly end: number } {
  const start = DEFAULT_VM_ID_BASE + (fnv1a(envName) % DEFAULT_BLOCKS) * DEFAULT_VM_ID_BLOCK;
  return { start, end: start + DEFAULT_VM_ID_BLOCK - 1 };
}

/**
 * Hands out VM ids from the spec's `vmIdRange` — or the environment's default block — in a fixed
 * order (templates, then tiers in spec order), so ids are stable across synths and every VM has an
 * explicit id. Explicit ids matter for parallel clones: PVE's `/cluster/nextid` reserves nothing,
 * so clones asking for ids at once can get the same one, and bpg/proxmox takes the refused clone
 * ("config file already exists") for done (docs/simulator.md, Nodes and cluster).
 */
export class VmIdAllocator {
  private readonly range: { readonly start: number; readonly end: number };
  private nextId: number;

  constructor(private readonly env: ResolvedEnvironment) {
    this.range = env.vmIdRange ?? defaultVmIdRange(env.name);
    this.nextId = this.range.start;
  }

  /** One id. */
  next(): number {
    return this.take(1);
  }

  /** The first of `count` consecutive ids. Throws when the range is exhausted. */
  take(count: number): number {
    const range = this.range;
    const first = this.nextId;
    if (first + count - 1 > range.end) {
      throw new Error(
        `${this.env.name}: vmIdRange ${range.start}-${range.end} is too small — it needs at least ${first + count - range.start} ids; widen the range.`,
      );
    }
    this.nextId = first + count;
    return first;
  }
}
