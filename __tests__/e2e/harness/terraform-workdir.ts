import { Testing, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformCli, TerraformResult } from "../../../terraform/terraform-cli";
import type { SshSettings } from "../../../sim/index";
import { PROVIDER_VERSION } from "../../../toolchain/paths";

/** Where a running simulator is (what {@link startSimulator} returns satisfies it). */
export interface SimulatorEndpoint {
  readonly endpoint: string;
  readonly apiToken: string;
  /** The simulator's SSH endpoints: the provider's `ssh` block gets their addresses, its environment the login. */
  readonly ssh?: SshSettings;
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

type Json = Record<string, any>;

/** Terraform JSON of a source, with the pinned bpg/proxmox requirement and a provider block added when absent. */
function toTerraformJson(source: StackSource, ssh?: SshSettings): Json {
  const json: Json =
    source instanceof TerraformStack ? JSON.parse(Testing.synth(source)) : typeof source === "string" ? JSON.parse(source) : structuredClone(source);
  json.terraform ??= {};
  json.terraform.required_providers ??= {};
  json.terraform.required_providers.proxmox ??= { source: "bpg/proxmox", version: PROVIDER_VERSION };
  json.provider ??= {};
  json.provider.proxmox ??= [{}];
  // The provider takes a node's SSH port only from its `ssh { node { … } }` block (fwprovider/provider.go).
  if (ssh) json.provider.proxmox[0].ssh ??= [{ node: ssh.nodes.map((n) => ({ name: n.name, address: n.address, port: n.port })) }];
  return json;
}

/** Variables of the shell running the tests that must not reach terraform (another target, debug logs). */
const fromTestShell = (name: string): boolean => !name.startsWith("PROXMOX_VE_") && !name.startsWith("TF_LOG");

/**
 * A temporary folder holding one synthesised configuration, driven with the product's
 * {@link TerraformCli} (real terraform and provider through the toolchain) against a simulator.
 */
export class TerraformWorkdir {
  /** The product's terraform runner for this folder (for commands the helpers below lack). */
  readonly cli: TerraformCli;

  private readonly ssh?: SshSettings;

  constructor(
    /** The folder (`main.tf.json`, state, `.terraform/`). */
    readonly dir: string,
    options: TerraformWorkdirOptions,
  ) {
    this.ssh = options.sim.ssh;
    const tmp = path.join(dir, "tmp");
    fs.mkdirSync(tmp, { recursive: true });
    this.cli = new TerraformCli({
      workdir: dir,
      inheritEnv: fromTestShell,
      timeoutMs: options.timeoutMs ?? 300_000,
      env: {
        PROXMOX_VE_ENDPOINT: options.sim.endpoint,
        PROXMOX_VE_API_TOKEN: options.sim.apiToken,
        PROXMOX_VE_INSECURE: "true",
        // The provider keeps its VM-id sequence file in TMPDIR: one per workdir keeps runs independent.
        TMPDIR: tmp,
        // The provider records SSH host keys in ~/.ssh/known_hosts: one home per workdir keeps
        // simulators that reuse a port with another key from tripping its MitM check.
        ...(options.sim.ssh ? { HOME: dir, PROXMOX_VE_SSH_USERNAME: options.sim.ssh.username, PROXMOX_VE_SSH_PASSWORD: options.sim.ssh.password } : {}),
        ...(options.env ?? {}),
      },
    });
  }

  /** Replaces the configuration (for update scenarios). */
  write(source: StackSource): void {
    fs.writeFileSync(path.join(this.dir, "main.tf.json"), JSON.stringify(toTerraformJson(source, this.ssh), null, 2));
  }

  /** Runs terraform with `args`; resolves whatever the exit code. */
  run(...args: string[]): Promise<TerraformResult> {
    return this.cli.run(args);
  }

  /** `terraform init` (from the toolchain's mirror). */
  init(): Promise<TerraformResult> {
    return this.cli.init();
  }

  /** `terraform apply -auto-approve`; throws with the output on failure. */
  apply(): Promise<TerraformResult> {
    return this.cli.apply();
  }

  /** `terraform plan -detailed-exitcode`; throws on errors (exit 1). */
  async plan(): Promise<PlanResult> {
    const r = await this.cli.plan();
    return { exitCode: r.code as 0 | 2, output: r.output };
  }

  /** `terraform destroy -auto-approve`; throws with the output on failure. */
  destroy(): Promise<TerraformResult> {
    return this.cli.destroy();
  }

  /** `terraform show -json`, parsed. */
  async showJson(): Promise<Json> {
    return this.cli.showJson();
  }

  /** `terraform state list`: resource addresses (none before the first apply). */
  stateList(): Promise<string[]> {
    return this.cli.stateList();
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
