import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sshKeyFingerprint } from "../constructs/ssh-key-fingerprint";
import { ansibleDataYaml } from "../inventory/ansible-inventory";
import { writeFileAtomic } from "../io/atomic-write";
import { runProcess } from "../io/run-process";

/** The playbook that sets a login user's authorized_keys to exactly a list of keys. */
export const ROTATE_KEYS_PLAYBOOK = "rotate-keys.yml";

/** Options of {@link pushAuthorizedKeys}. */
export interface AuthorizedKeysPush {
  /** Ansible inventory file of the guests. */
  readonly inventory: string;
  /** The login user whose keys are set. */
  readonly user: string;
  /** The complete key list: afterwards the user's authorized_keys holds exactly these. */
  readonly keys: readonly string[];
  /** Progress output (Ansible's, with key material replaced by fingerprints). @default none */
  readonly log?: (line: string) => void;
  /**
   * Folder holding rotate-keys.yml and ansible.cfg.
   * @default the package's ansible/ folder
   */
  readonly ansibleDir?: string;
  /** More key lines to keep out of the output (the keys being removed). @default none */
  readonly hide?: readonly string[];
  /** Time limit of the whole run in milliseconds. @default 30 minutes */
  readonly timeoutMs?: number;
}

/** The package's ansible/ folder (next to the sources, or one level up from dist/). */
export function packageAnsibleDir(): string {
  const candidates = [path.join(__dirname, "..", "ansible"), path.join(__dirname, "..", "..", "ansible")];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, ROTATE_KEYS_PLAYBOOK)));
  if (!found) throw new Error(`The Ansible playbook ${ROTATE_KEYS_PLAYBOOK} is missing from this installation (looked in ${candidates.join(", ")}).`);
  return found;
}

/**
 * Runs ansible/rotate-keys.yml against `inventory`: every host's login user ends up with exactly
 * `keys` in its authorized_keys (the authorized_key module with `exclusive: true`). The keys travel
 * in a private extra-vars file, strings with `{` tagged `!unsafe` so Ansible never templates them.
 * Ansible's output is passed on and put into errors with each key's base64 body replaced by its
 * fingerprint. Throws when a host fails or is unreachable.
 */
export async function pushAuthorizedKeys(opts: AuthorizedKeysPush): Promise<void> {
  if (opts.keys.length === 0) throw new Error("pushAuthorizedKeys: refusing an empty key list (it would lock everybody out).");
  const ansibleDir = opts.ansibleDir ?? packageAnsibleDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-rotate-keys-"));
  try {
    const vars = path.join(dir, "keys.yml");
    writeFileAtomic(vars, ansibleDataYaml({ rotate_keys_user: opts.user, rotate_keys: [...opts.keys] }), 0o600);
    const hide = keyRedactor([...opts.keys, ...(opts.hide ?? [])]);
    let pending = "";
    const result = await runProcess("ansible-playbook", ["-i", path.resolve(opts.inventory), "-e", `@${vars}`, ROTATE_KEYS_PLAYBOOK], {
      cwd: ansibleDir,
      env: { ...process.env, ANSIBLE_CONFIG: path.join(ansibleDir, "ansible.cfg"), ANSIBLE_NOCOLOR: "1", ANSIBLE_FORCE_COLOR: "0" },
      timeoutMs: opts.timeoutMs ?? 30 * 60_000,
      onStdout: (text) => {
        const lines = (pending + text).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) if (line.trim() !== "") opts.log?.(`  ${hide(line)}`);
      },
    });
    if (pending.trim() !== "") opts.log?.(`  ${hide(pending)}`);
    if (result.exitCode !== 0) {
      throw new Error(`ansible-playbook ${ROTATE_KEYS_PLAYBOOK} failed (exit ${result.exitCode}):\n${hide(result.output).slice(-4000)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces each key's base64 body in a text by its fingerprint: output names keys, never carries them. */
export function keyRedactor(keys: readonly string[]): (text: string) => string {
  const bodies = keys.map((k) => ({ body: k.trim().split(/\s+/)[1] ?? "", fingerprint: sshKeyFingerprint(k) })).filter((k) => k.body.length > 0);
  return (text) => bodies.reduce((t, k) => t.split(k.body).join(`[key ${k.fingerprint}]`), text);
}
