import { dict, prototypeFree } from "./dict";

/**
 * The simulator's whole state: named slices, one per API family, each a plain JSON value owned by
 * that family's routes. Serialised as one JSON document for `--state FILE`. Every object in a
 * slice's initial (or loaded) value is prototype-free (sim/dict.ts); families create further
 * maps with `dict()`.
 */
export class SimState {
  private readonly slices: Record<string, unknown>;

  constructor(initial: Record<string, unknown> = {}) {
    this.slices = prototypeFree(dict(initial));
  }

  /** The slice called `name`, created with `init()` on first use. Mutate it in place. */
  slice<T>(name: string, init: () => T): T {
    if (!Object.prototype.hasOwnProperty.call(this.slices, name)) this.slices[name] = prototypeFree(init());
    return this.slices[name] as T;
  }

  /** A JSON-serialisable snapshot of every slice. */
  toJSON(): Record<string, unknown> {
    return this.slices;
  }
}
