import * as fs from "fs";
import { formatDoctorReport, runDoctor } from "../../ai/doctor";
import type { HardwareFacts } from "../../ai/hardware";
import { MODEL_TIERS } from "../../ai/model-tier";
import { environmentPrivileges } from "../../deploy/environment-privileges";
import { preflightTarget } from "../../deploy/target-preflight";
import { bindingsMarker } from "../../toolchain/bindings";
import { toolchainPaths } from "../../toolchain/paths";
import { stringFlag } from "../args";
import { Command, envArgument, UsageError } from "../command";
import { ensureCliToolchain } from "../ensure-toolchain";
import { projectRoot } from "../project-root";

/** What the doctor command uses from the outside world; tests replace parts of it. */
export interface DoctorCommandDeps {
  /** @default detectHardware() */
  readonly hardware?: HardwareFacts;
  /** @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Project root for `--target <env>`. @default projectRoot() */
  readonly root?: () => string;
}

/** Builds the `doctor` command around its dependencies. */
export function createDoctorCommand(deps: DoctorCommandDeps = {}): Command {
  return {
    name: "doctor",
    summary: "check this machine (toolchain, local AI for `draft`) or, with --target, the Proxmox VE target",
    args: {
      usage: "[env]",
      maxPositionals: 1,
      options: {
        target: { type: "boolean", description: "check the target in PROXMOX_VE_ENDPOINT instead (with [env]: its privileges too)" },
        model: { type: "string", valueName: "NAME", description: "Ollama model to check (default: PROXMOX_CDK_MODEL, else the recommended one)" },
        "num-ctx": { type: "string", valueName: "TOKENS", description: "context window to check the model for (≥ 2048)" },
      },
    },
    description: `Without --target: checks this machine. The toolchain (terraform, the provider and the bindings;
the first up/plan prepares it, or \`npm run setup\`), and what \`proxmox-cdk draft\` needs: RAM, CPU
cores and GPU (device files and PATH; nothing is contacted but Ollama), the model size that suits
them, whether Ollama answers at OLLAMA_HOST (default http://127.0.0.1:11434), whether the model is
pulled and offers the context window draft asks for. Each failed check prints its fix.

Recommended model by RAM: ${MODEL_TIERS.slice()
      .reverse()
      .map((t) => `${t.label} ${t.model} from ${t.minRamGiB} GiB${t.needsGpu ? " (above, with a GPU)" : ""}`)
      .join("; ")}.

With --target: the preflight up, plan and destroy run against a real Proxmox VE. The endpoint in
PROXMOX_VE_ENDPOINT answers (GET /version), its TLS certificate is trusted (else: SSL_CERT_FILE or
PROXMOX_VE_INSECURE), PROXMOX_VE_API_TOKEN is accepted (not wrong, deleted or expired), and — given
an environment — the token holds every privilege TerraformAccess derives for it
(GET /access/permissions), naming the missing ones. Exit 1 when something is to fix.`,
    async run(args) {
      const log = deps.log ?? ((l: string) => console.log(l));
      if (args.flags.target) return checkTarget(args.positionals[0], deps, log);
      if (args.positionals.length) throw new UsageError(`an environment is checked with --target: \`proxmox-cdk doctor --target ${args.positionals[0]}\`.`);
      const rawCtx = stringFlag(args, "num-ctx");
      const numCtx = rawCtx === undefined ? undefined : Number(rawCtx);
      if (numCtx !== undefined && (!Number.isInteger(numCtx) || numCtx < 2048))
        throw new UsageError(`--num-ctx must be a whole number ≥ 2048, got "${rawCtx}".`);
      log(toolchainLine());
      const report = await runDoctor({ hardware: deps.hardware, model: stringFlag(args, "model"), numCtx, environment: deps.environment });
      formatDoctorReport(report).forEach((l) => log(l));
      return report.ok ? 0 : 1;
    },
  };
}

/** Whether the toolchain step has run (informational: commands that need it prepare it). */
function toolchainLine(): string {
  const paths = toolchainPaths();
  const ready = fs.existsSync(paths.cliConfig) && fs.existsSync(bindingsMarker(paths));
  return ready
    ? "ok    toolchain: terraform configuration and provider bindings are set up"
    : "info  toolchain: not set up yet — the first up/plan prepares it (a few minutes), or run `npm run setup` now";
}

/** `doctor --target [env]`: the preflight of the target, with the environment's privileges when named. */
async function checkTarget(env: string | undefined, deps: DoctorCommandDeps, log: (l: string) => void): Promise<number> {
  const environment = deps.environment ?? process.env;
  let needs;
  if (env) {
    envArgument({ positionals: [env], flags: {} }, "doctor --target");
    await ensureCliToolchain();
    // Loaded after the toolchain step: synthesis reaches the generated bindings.
    const { synthEnvironment } = require("../../deploy/synth-environment") as typeof import("../../deploy/synth-environment");
    needs = environmentPrivileges(synthEnvironment((deps.root ?? projectRoot)(), env).workdir);
  }
  const report = await preflightTarget({ environment, needs });
  for (const l of report.lines) log(`${l.ok ? "ok  " : "FAIL"}  ${l.text}`);
  if (!env && report.ok) log("info  privileges: not checked — name the environment: `proxmox-cdk doctor --target <env>`");
  return report.ok ? 0 : 1;
}

/** `proxmox-cdk doctor`. */
export const doctorCommand: Command = createDoctorCommand();
