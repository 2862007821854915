import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** What the machine offers a local model. */
export interface HardwareFacts {
  /** Total RAM in bytes. */
  readonly totalMemBytes: number;
  readonly cpuCores: number;
  /** Evidence of a GPU a model can run on, e.g. `/dev/nvidia0`, `nvidia-smi on PATH`; empty when none. */
  readonly gpu: readonly string[];
}

/** Where {@link detectHardware} looks; tests point it at a fake tree. */
export interface HardwareProbe {
  /** @default os.totalmem() */
  readonly totalMemBytes?: number;
  /** @default os.availableParallelism() */
  readonly cpuCores?: number;
  /** Device folder. @default "/dev" */
  readonly devDir?: string;
  /** PATH to search for nvidia-smi. @default process.env.PATH */
  readonly pathEnv?: string;
  /** @default process.platform */
  readonly platform?: NodeJS.Platform;
  /** @default process.arch */
  readonly arch?: string;
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * RAM, cores and GPU evidence from the local machine only (device files and PATH; no command is
 * run and nothing is contacted): NVIDIA device nodes, DRM render nodes (AMD/Intel), nvidia-smi on
 * PATH, and Apple silicon's unified memory.
 */
export function detectHardware(probe: HardwareProbe = {}): HardwareFacts {
  const devDir = probe.devDir ?? "/dev";
  const gpu: string[] = [];
  const dev = listDir(devDir);
  for (const name of dev.filter((n) => /^nvidia\d+$/.test(n)).sort()) gpu.push(path.join(devDir, name));
  for (const name of listDir(path.join(devDir, "dri"))
    .filter((n) => /^renderD\d+$/.test(n))
    .sort())
    gpu.push(path.join(devDir, "dri", name));
  const pathEnv = probe.pathEnv ?? process.env.PATH ?? "";
  const smi = pathEnv
    .split(path.delimiter)
    .filter((d) => d !== "")
    .map((d) => path.join(d, "nvidia-smi"))
    .find((f) => fs.existsSync(f));
  if (smi) gpu.push(`nvidia-smi on PATH (${smi})`);
  if ((probe.platform ?? process.platform) === "darwin" && (probe.arch ?? process.arch) === "arm64") gpu.push("Apple silicon (Metal, unified memory)");
  return {
    totalMemBytes: probe.totalMemBytes ?? os.totalmem(),
    cpuCores: probe.cpuCores ?? os.availableParallelism(),
    gpu,
  };
}
