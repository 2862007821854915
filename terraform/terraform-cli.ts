import { spawn } from "child_process";
import { toolchainEnv } from "../toolchain/toolchain-env";

/** Result of one terraform invocation. */
export interface TerraformResult {
  /** Exit code (plan -detailed-exitcode: 0 no changes, 2 changes). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link TerraformCli}. */
export interface TerraformCliOptions {
  /** Stack working directory (holds cdk.tf.json). */
  readonly workdir: string;
  /** Extra environment (e.g. PROXMOX_VE_ENDPOINT/API_TOKEN for a target). Secrets stay in the environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with each line terraform prints, for progress. @default none */
  readonly onLine?: (line: string) => void;
}

/**
 * Runs the real terraform (or tofu) chosen by the setup step, with the project's CLI config, in a
 * stack directory. Asynchronous, so a simulator serving in the same process keeps answering.
 */
export class TerraformCli {
  constructor(private readonly opts: TerraformCliOptions) {}

  /** The working directory terraform runs in. */
  get workdir(): string {
    return this.opts.workdir;
  }

  /**
   * Runs `terraform <args>`; never throws for a non-zero exit (callers decide). `withTarget: false`
   * leaves out the target's variables (init needs none, and a simulator's CA in SSL_CERT_FILE must
   * not replace the roots Terraform uses to reach its registry).
   */
  run(args: readonly string[], withTarget = true): Promise<TerraformResult> {
    const tool = toolchainEnv();
    const env: NodeJS.ProcessEnv = { ...process.env, ...tool, ...(withTarget ? this.opts.env : {}), TF_INPUT: "0" };
    const binary = tool.TERRAFORM_BINARY_NAME;
    return new Promise((resolve, reject) => {
      const child = spawn(binary, [...args], { cwd: this.opts.workdir, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let pending = "";
      const onData = (text: string) => {
        if (!this.opts.onLine) return;
        pending += text;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        lines.forEach((l) => this.opts.onLine?.(l));
      };
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        onData(c.toString());
      });
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  /** Runs and throws with terraform's output unless the exit code is allowed. */
  async must(args: readonly string[], allowed: readonly number[] = [0], withTarget = true): Promise<TerraformResult> {
    const res = await this.run(args, withTarget);
    if (!allowed.includes(res.code)) {
      throw new Error(`terraform ${args.join(" ")} failed (exit ${res.code}) in ${this.opts.workdir}:\n${tail(res.stderr || res.stdout)}`);
    }
    return res;
  }

  /** `terraform init` (no colour, no input). */
  init(): Promise<TerraformResult> {
    return this.must(["init", "-no-color", "-input=false"], [0], false);
  }

  /** `terraform apply -auto-approve`. */
  apply(extra: readonly string[] = []): Promise<TerraformResult> {
    return this.must(["apply", "-no-color", "-input=false", "-auto-approve", ...extra]);
  }

  /** `terraform plan -detailed-exitcode`: 0 means no changes, 2 means changes. */
  plan(extra: readonly string[] = []): Promise<TerraformResult> {
    return this.must(["plan", "-no-color", "-input=false", "-detailed-exitcode", ...extra], [0, 2]);
  }

  /** `terraform destroy -auto-approve`. */
  destroy(): Promise<TerraformResult> {
    return this.must(["destroy", "-no-color", "-input=false", "-auto-approve"]);
  }

  /** `terraform output -json`, parsed. */
  async outputs(): Promise<Record<string, { value: unknown; sensitive: boolean }>> {
    return JSON.parse((await this.must(["output", "-json"])).stdout || "{}");
  }

  /** `terraform show -json [planfile]`, parsed. */
  async showJson(planFile?: string): Promise<Record<string, unknown>> {
    return JSON.parse((await this.must(["show", "-json", ...(planFile ? [planFile] : [])])).stdout);
  }

  /** Any `terraform … -json` command's output, parsed. */
  async showJsonOf(args: readonly string[]): Promise<Record<string, unknown>> {
    return JSON.parse((await this.must(args)).stdout);
  }

  /** `terraform state list`. */
  async stateList(): Promise<string[]> {
    const res = await this.run(["state", "list"]);
    return res.code === 0 ? res.stdout.split("\n").filter(Boolean) : [];
  }
}

function tail(text: string, lines = 60): string {
  return text.split("\n").slice(-lines).join("\n");
}
