import { Testing, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROVIDER_VERSION } from "../../../toolchain/paths";
import { toolchainEnv } from "../../../toolchain/toolchain-env";
import { CommandResult, runCommand } from "./run-command";

/** Where a running simulator is (what {@link startSimulator} returns satisfies it). */
export interface SimulatorEndpoint {
  readonly endpoint: string;
  readonly apiToken: string;
}

/** Options of {@link terraformWorkdir}. */
export interface TerraformWorkdirOptions {
  /** The simulator the provider talks to (PROXMOX_VE_ENDPOINT / PROXMOX_VE_API_TOKEN, INSECURE=true). */
  readonly sim: SimulatorEndpoint;
  /**
   * Extra environment variables of every terraform run.
   * @default none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Time limit of one terraform command in milliseconds.
   * @default 300000
   */
  readonly timeoutMs?: number;
}

/** A Terraform configuration: a cdktf stack, or Terraform JSON (object or text). */
export type StackSource = TerraformStack | Record<string, unknown> | string;

/** Result of `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes. */
export interface PlanResult {
  readonly exitCode: 0 | 2;
  readonly output: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Terraform JSON of a source, with the pinned bpg/proxmox requirement and a provider block added when absent. */
function toTerraformJson(source: StackSource): Json {
  const json: Json = source instanceof TerraformStack ? JSON.parse(Testing.synth(source)) : typeof source === "string" ? JSON.parse(source) : structuredClone(source);
  json.terraform ??= {};
  json.terraform.required_providers ??= {};
  json.terraform.required_providers.proxmox ??= { source: "bpg/proxmox", version: PROVIDER_VERSION };
  json.provider ??= {};
  json.provider.proxmox ??= [{}];
  return json;
}

/**
 * A temporary folder holding one synthesised configuration, driven with the real terraform and
 * the real provider (through the project toolchain) against a simulator.
 */
export class TerraformWorkdir {
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    /** The folder (`main.tf.json`, state, `.terraform/`). */
    readonly dir: string,
    private readonly options: TerraformWorkdirOptions,
  ) {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PROXMOX_VE_") && !k.startsWith("TF_LOG")));
    const tmp = path.join(dir, "tmp");
    fs.mkdirSync(tmp, { recursive: true });
    this.env = {
      ...inherited,
      ...toolchainEnv(),
      PROXMOX_VE_ENDPOINT: options.sim.endpoint,
      PROXMOX_VE_API_TOKEN: options.sim.apiToken,
      PROXMOX_VE_INSECURE: "true",
      // The provider keeps its VM-id sequence file in TMPDIR: one per workdir keeps runs independent.
      TMPDIR: tmp,
      TF_INPUT: "0",
      ...(options.env ?? {}),
    };
  }

  /** Replaces the configuration (for update scenarios). */
  write(source: StackSource): void {
    fs.writeFileSync(path.join(this.dir, "main.tf.json"), JSON.stringify(toTerraformJson(source), null, 2));
  }

  /** Runs terraform with `args`; resolves whatever the exit code. */
  run(...args: string[]): Promise<CommandResult> {
    return runCommand(this.env.TERRAFORM_BINARY_NAME ?? "terraform", args, { cwd: this.dir, env: this.env, timeoutMs: this.options.timeoutMs ?? 300_000 });
  }

  private async ok(...args: string[]): Promise<CommandResult> {
    const r = await this.run(...args);
    if (r.exitCode !== 0) throw new Error(`terraform ${args.join(" ")} failed (exit ${r.exitCode}) in ${this.dir}:\n${r.output}`);
    return r;
  }

  /** `terraform init` (from the toolchain's mirror). */
  init(): Promise<CommandResult> {
    return this.ok("init", "-input=false", "-no-color");
  }

  /** `terraform apply -auto-approve`; throws with the output on failure. */
  apply(): Promise<CommandResult> {
    return this.ok("apply", "-auto-approve", "-input=false", "-no-color");
  }

  /** `terraform plan -detailed-exitcode`; throws on errors (exit 1). */
  async plan(): Promise<PlanResult> {
    const r = await this.run("plan", "-detailed-exitcode", "-input=false", "-no-color");
    if (r.exitCode !== 0 && r.exitCode !== 2) throw new Error(`terraform plan failed (exit ${r.exitCode}) in ${this.dir}:\n${r.output}`);
    return { exitCode: r.exitCode, output: r.output };
  }

  /** `terraform destroy -auto-approve`; throws with the output on failure. */
  destroy(): Promise<CommandResult> {
    return this.ok("destroy", "-auto-approve", "-input=false", "-no-color");
  }

  /** `terraform show -json`, parsed. */
  async showJson(): Promise<Json> {
    return JSON.parse((await this.ok("show", "-json", "-no-color")).stdout);
  }

  /** `terraform state list`: resource addresses. */
  async stateList(): Promise<string[]> {
    const r = await this.run("state", "list", "-no-color");
    if (r.exitCode !== 0) {
      if (/No state file was found/i.test(r.output)) return [];
      throw new Error(`terraform state list failed in ${this.dir}:\n${r.output}`);
    }
    return r.stdout.split("\n").filter((l) => l.trim() !== "");
  }

  /** Deletes the folder. */
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Writes a configuration into a fresh temporary folder and returns a {@link TerraformWorkdir} for
 * it, already `terraform init`-ed.
 */
export async function terraformWorkdir(source: StackSource, options: TerraformWorkdirOptions): Promise<TerraformWorkdir> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pve-e2e-"));
  const wd = new TerraformWorkdir(dir, options);
  wd.write(source);
  await wd.init();
  return wd;
}
