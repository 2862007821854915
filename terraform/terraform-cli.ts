import { runProcess } from "../io/run-process";
import { toolchainEnv } from "../toolchain/toolchain-env";
import { z } from "zod";

/** `terraform output -json`: each output's value and whether it is sensitive. */
const OUTPUTS = z.record(z.string(), z.looseObject({ value: z.unknown(), sensitive: z.boolean() }));

/** A JSON object (what every `terraform … -json` command prints). */
const JSON_OBJECT = z.record(z.string(), z.unknown());

/** A command's JSON output read as `schema`; an error names the command and the first field that does not fit. */
function parseJsonOutput<T>(schema: z.ZodType<T>, stdout: string, args: readonly string[]): T {
  const parsed = schema.safeParse(JSON.parse(stdout));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`terraform ${args.join(" ")}: unexpected JSON at ${issue.path.join(".") || "(document)"}: ${issue.message}`);
}

/** Result of one terraform invocation. */
export interface TerraformResult {
  /** Exit code (plan -detailed-exitcode: 0 no changes, 2 changes). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
}

/** Options of {@link TerraformCli}. */
export interface TerraformCliOptions {
  /** Stack working directory (holds cdk.tf.json). */
  readonly workdir: string;
  /** Extra environment (e.g. PROXMOX_VE_ENDPOINT/API_TOKEN for a target). Secrets stay in the environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with each line terraform prints, for progress. @default none */
  readonly onLine?: (line: string) => void;
  /**
   * Which variables of this process's environment terraform inherits (the toolchain's and `env`
   * are added after). Tests leave out the PROXMOX_VE_* and TF_LOG* of the shell they run in.
   * @default every variable
   */
  readonly inheritEnv?: (name: string) => boolean;
  /**
   * Time limit of one command in milliseconds; terraform is killed and the call rejects with its
   * output when it is exceeded.
   * @default no limit
   */
  readonly timeoutMs?: number;
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
  async run(args: readonly string[], withTarget = true): Promise<TerraformResult> {
    const tool = toolchainEnv();
    const inheritEnv = this.opts.inheritEnv;
    const inherited = inheritEnv ? Object.fromEntries(Object.entries(process.env).filter(([k]) => inheritEnv(k))) : process.env;
    const env: NodeJS.ProcessEnv = { ...inherited, ...tool, ...(withTarget ? this.opts.env : {}), TF_INPUT: "0" };
    let pending = "";
    const onStdout = (text: string) => {
      if (!this.opts.onLine) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach((l) => this.opts.onLine?.(l));
    };
    // Terraform writes the state (it holds secrets such as the TerraformAccess token), its backup,
    // the lock info and plan files with the umask it inherits: 077 keeps them 0600. The child
    // takes the umask when it is spawned, synchronously inside runProcess, so it is restored at once.
    const previousUmask = process.umask(0o077);
    let running: ReturnType<typeof runProcess>;
    try {
      running = runProcess(tool.TERRAFORM_BINARY_NAME, args, { cwd: this.opts.workdir, env, timeoutMs: this.opts.timeoutMs, onStdout });
    } finally {
      process.umask(previousUmask);
    }
    const res = await running;
    return { code: res.exitCode, stdout: res.stdout, stderr: res.stderr, output: res.output };
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
    const args = ["output", "-json"];
    return parseJsonOutput(OUTPUTS, (await this.must(args)).stdout || "{}", args);
  }

  /** `terraform show -json [planfile]`, parsed. */
  async showJson(planFile?: string): Promise<Record<string, unknown>> {
    const args = ["show", "-json", ...(planFile ? [planFile] : [])];
    return parseJsonOutput(JSON_OBJECT, (await this.must(args)).stdout, args);
  }

  /** Any `terraform … -json` command's output, parsed. */
  async showJsonOf(args: readonly string[]): Promise<Record<string, unknown>> {
    return parseJsonOutput(JSON_OBJECT, (await this.must(args)).stdout, args);
  }

  /** `terraform state list`: resource addresses, none when there is no state yet; throws on other failures. */
  async stateList(): Promise<string[]> {
    const res = await this.run(["state", "list", "-no-color"]);
    if (res.code !== 0) {
      if (/No state file was found/i.test(res.output)) return [];
      throw new Error(`terraform state list failed (exit ${res.code}) in ${this.opts.workdir}:\n${tail(res.output)}`);
    }
    return res.stdout.split("\n").filter((l) => l.trim() !== "");
  }
}

function tail(text: string, lines = 60): string {
  return text.split("\n").slice(-lines).join("\n");
}
