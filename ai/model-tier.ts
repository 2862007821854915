import type { HardwareFacts } from "./hardware";

/** A size class of local model, and the machine it suits. */
export interface ModelTier {
  /** Short label, e.g. `8B Q4`. */
  readonly label: string;
  /** Ollama model to pull. */
  readonly model: string;
  /** Smallest RAM (GiB, inclusive) the tier is recommended from. */
  readonly minRamGiB: number;
  /** Whether the tier is only recommended with a GPU. */
  readonly needsGpu: boolean;
  /** Why, one line. */
  readonly note: string;
}

/**
 * The recommendation table, largest first; the first row the machine satisfies wins. The Q4
 * rows use the library's default tags (`llama3.1:8b` is Q4_K_M, `llama3.1:70b` Q4_K_M).
 */
export const MODEL_TIERS: readonly ModelTier[] = [
  {
    label: "70B Q4",
    model: "llama3.1:70b",
    minRamGiB: 24,
    needsGpu: true,
    note: "the most reliable drafts; ~43 GB of weights, split between GPU memory and RAM (slow when most of it sits in RAM)",
  },
  {
    label: "8B Q8",
    model: "llama3.1:8b-instruct-q8_0",
    minRamGiB: 12,
    needsGpu: false,
    note: "~8.5 GB of weights; 8-bit weights follow the schema and the repair hints more closely than 4-bit",
  },
  {
    label: "8B Q4",
    model: "llama3.1:8b",
    minRamGiB: 6,
    needsGpu: false,
    note: "~4.9 GB of weights; the default, good drafts with a repair round now and then",
  },
  { label: "3B", model: "llama3.2:3b", minRamGiB: 4, needsGpu: false, note: "~2 GB of weights; expect more repair rounds and review the draft closely" },
];

/** Below the smallest tier: what to do on a machine with under 4 GiB of RAM. */
export const TOO_SMALL: ModelTier = {
  label: "1B",
  model: "llama3.2:1b",
  minRamGiB: 0,
  needsGpu: false,
  note: "under 4 GiB of RAM only a 1B model fits, and its drafts often fail the checks; run Ollama on a bigger machine and set OLLAMA_HOST",
};

/** GiB of RAM, one decimal. */
export function ramGiB(hw: HardwareFacts): number {
  return Math.round((hw.totalMemBytes / 1024 ** 3) * 10) / 10;
}

/**
 * Share of the nominal RAM the OS reports at least: firmware and kernel keep some, so a "16 GB"
 * machine shows about 15.5 GiB and must still count as 16.
 */
export const REPORTED_RAM_SHARE = 0.9;

/**
 * The model tier for a machine: ≈ 3B for 4–6 GiB of RAM, 8B Q4 for 6–12 GiB, 8B Q8 for
 * 12–24 GiB, 70B Q4 above 24 GiB with a GPU (8B Q8 above 24 GiB without one).
 */
export function recommendTier(hw: HardwareFacts): ModelTier {
  const gib = hw.totalMemBytes / 1024 ** 3;
  const hasGpu = hw.gpu.length > 0;
  const fits = (t: ModelTier) => (t.needsGpu ? hasGpu && gib > t.minRamGiB : gib >= t.minRamGiB * REPORTED_RAM_SHARE);
  return MODEL_TIERS.find(fits) ?? TOO_SMALL;
}
