import { LIMITS } from "../envspec/limits";
import type { ResolvedEnvironment } from "../envspec";

/** Ids kept for templates at the start of a range laid out in slots (the spec's template limit). */
export const TEMPLATE_ID_SLOTS = LIMITS.templates;

/** Ids kept for each tier in a range laid out in slots (the spec's per-tier count limit). */
export const TIER_ID_SLOTS = LIMITS.countPerTier.max;

/**
 * Ids in an environment's default block: room for the largest environment laid out in slots
 * (16 template ids, then 500 ids for each of up to 50 tiers), rounded up.
 */
export const DEFAULT_VM_ID_BLOCK = 100_000;

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
 * Hands out VM ids from the spec's `vmIdRange` — or the environment's default block — so ids are
 * stable across synths and every VM has an explicit id. Explicit ids matter for parallel clones:
 * PVE's `/cluster/nextid` reserves nothing, so clones asking for ids at once can get the same one,
 * and bpg/proxmox takes the refused clone ("config file already exists") for done
 * (docs/simulator.md, Nodes and cluster).
 *
 * When the range has room, it is laid out in slots: templates take the first
 * {@link TEMPLATE_ID_SLOTS} ids in spec order, and tier number k (spec order) takes the
 * {@link TIER_ID_SLOTS} ids after them, whatever its count. Growing or shrinking a tier then never
 * moves another tier's ids — a moved id would replace that tier's VMs. Adding a tier at the end
 * moves nothing; inserting or reordering tiers does. A range too small for slots is handed out
 * consecutively (templates, then tiers), where growing a tier moves the ids of the tiers after it:
 * give such an environment a wider `vmIdRange` (at least 16 + 500 × tiers ids).
 */
export class VmIdAllocator {
  private readonly range: { readonly start: number; readonly end: number };
  /** True when the range is laid out in slots (see the class comment). */
  readonly slotted: boolean;
  private nextTemplateId: number;
  private nextTierId: number;

  constructor(private readonly env: ResolvedEnvironment) {
    this.range = env.vmIdRange ?? defaultVmIdRange(env.name);
    const tierCount = Object.keys(env.tiers).length;
    this.slotted = this.range.end - this.range.start + 1 >= TEMPLATE_ID_SLOTS + tierCount * TIER_ID_SLOTS;
    this.nextTemplateId = this.range.start;
    this.nextTierId = this.slotted ? this.range.start + TEMPLATE_ID_SLOTS : this.range.start;
  }

  /** The id of the next template (spec order). */
  nextTemplate(): number {
    if (!this.slotted) return this.takeConsecutive(1);
    const id = this.nextTemplateId++;
    if (id >= this.range.start + TEMPLATE_ID_SLOTS)
      throw new Error(`${this.env.name}: more than ${TEMPLATE_ID_SLOTS} templates — the spec allows at most ${TEMPLATE_ID_SLOTS}.`);
    return id;
  }

  /** The first of `count` consecutive ids for the next tier (spec order). Throws when the range is exhausted. */
  nextTier(count: number): number {
    if (!this.slotted) return this.takeConsecutive(count);
    if (count > TIER_ID_SLOTS) throw new Error(`${this.env.name}: a tier of ${count} VMs exceeds the ${TIER_ID_SLOTS} ids a tier has.`);
    const first = this.nextTierId;
    this.nextTierId += TIER_ID_SLOTS;
    return first;
  }

  private takeConsecutive(count: number): number {
    const range = this.range;
    const first = Math.max(this.nextTemplateId, this.nextTierId);
    if (first + count - 1 > range.end) {
      throw new Error(
        `${this.env.name}: vmIdRange ${range.start}-${range.end} is too small — it needs at least ${first + count - range.start} ids; widen the range.`,
      );
    }
    this.nextTemplateId = this.nextTierId = first + count;
    return first;
  }
}
