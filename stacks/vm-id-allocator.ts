import type { ResolvedEnvironment } from "../spec";

/**
 * Hands out VM ids from the spec's `vmIdRange` in a fixed order (templates, then tiers in spec
 * order), so ids are stable across synths. Without a range it hands out nothing and PVE allocates.
 */
export class VmIdAllocator {
  private nextId?: number;

  constructor(private readonly env: ResolvedEnvironment) {
    this.nextId = env.vmIdRange?.start;
  }

  /** One id, or undefined without a range. */
  next(): number | undefined {
    return this.take(1);
  }

  /** The first of `count` consecutive ids, or undefined without a range. Throws when the range is exhausted. */
  take(count: number): number | undefined {
    const range = this.env.vmIdRange;
    if (!range || this.nextId === undefined) return undefined;
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
