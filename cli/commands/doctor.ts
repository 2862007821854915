import { formatDoctorReport, runDoctor } from "../../ai/doctor";
import type { HardwareFacts } from "../../ai/hardware";
import { MODEL_TIERS } from "../../ai/model-tier";
import { stringFlag } from "../args";
import { Command, UsageError } from "../command";

/** What the doctor command uses from the outside world; tests replace parts of it. */
export interface DoctorCommandDeps {
  /** @default detectHardware() */
  readonly hardware?: HardwareFacts;
  /** @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

/** Builds the `doctor` command around its dependencies. */
export function createDoctorCommand(deps: DoctorCommandDeps = {}): Command {
  return {
    name: "doctor",
    summary: "check the local AI setup for `draft` (hardware, Ollama, model) and print the fixes",
    help: `Usage: proxmox-cdk doctor [--model <name>] [--num-ctx <tokens>]

Checks what \`proxmox-cdk draft\` needs, on this machine only: RAM, CPU cores and GPU (device files
and PATH; nothing is contacted but Ollama), the model size that suits them, whether Ollama answers
at OLLAMA_HOST (default http://127.0.0.1:11434), whether the model is pulled and offers the context
window draft asks for. Each failed check prints the command that fixes it.

Recommended model by RAM: ${MODEL_TIERS.slice()
      .reverse()
      .map((t) => `${t.label} ${t.model} from ${t.minRamGiB} GiB${t.needsGpu ? " (above, with a GPU)" : ""}`)
      .join("; ")}.

Exit code: 0 ready, 1 something to fix.`,
    async run(args) {
      const log = deps.log ?? ((l: string) => console.log(l));
      const rawCtx = stringFlag(args, "num-ctx");
      const numCtx = rawCtx === undefined ? undefined : Number(rawCtx);
      if (numCtx !== undefined && (!Number.isInteger(numCtx) || numCtx < 2048)) throw new UsageError(`--num-ctx must be a whole number ≥ 2048, got "${rawCtx}".`);
      const report = await runDoctor({ hardware: deps.hardware, model: stringFlag(args, "model"), numCtx, environment: deps.environment });
      formatDoctorReport(report).forEach((l) => log(l));
      return report.ok ? 0 : 1;
    },
  };
}

/** `proxmox-cdk doctor`. */
export const doctorCommand: Command = createDoctorCommand();
