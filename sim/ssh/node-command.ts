import type { SimContext } from "../context";
import { CommandResult, pvesmPath, qmDiskImport, qmSet } from "./node-cli";
import { MAX_UPLOAD_BYTES, nodeFileAt, storeNodeFile } from "./node-files";

/**
 * The node commands bpg/proxmox 0.111.1 sends over SSH, recognised by their exact shape and never
 * given to a shell. The provider wraps every script as `/bin/bash -c '<script>'` with `'` written
 * `'"'"'` (`proxmox/ssh/client.go`, `executeCommands` and `uploadFile`), joins statements with `; `,
 * may prefix `export TRY_SUDO_USE_SUDO=0|1` and defines a `try_sudo` shell function (`TrySudo`).
 * Anything else fails as bash fails on a missing command.
 */

/** Where the script of one exec request comes from: the node and, for `tee`, the data on stdin. */
export interface NodeExec {
  readonly sim: SimContext;
  readonly node: string;
  /** Reads the whole of stdin (only `tee` asks for it). */
  readonly stdin: () => Promise<Buffer>;
}

/** A value the provider interpolates unquoted: no shell syntax, so a match never needs a shell. */
const VALUE = "([A-Za-z0-9_.:/=,+@\\-]+)";

/** `/bin/bash -c '<script>'` → the script, or undefined for any other command line. */
function bashScript(command: string): string | undefined {
  const m = /^\/bin\/bash -c '([^]*)'$/.exec(command);
  if (!m) return undefined;
  const parts = m[1].split(`'"'"'`);
  return parts.some((p) => p.includes("'")) ? undefined : parts.join("'");
}

/** The `try_sudo` helper definition the provider puts into scripts (we run as root: it just runs the command). */
const TRY_SUDO_DEF = /_try_sudo_check\(\)\{ [^]*?\}; try_sudo\(\)\{ _try_sudo_check; [^]*? fi; \}/;

/** Splits a script into statements, with the sudo export dropped and the helper definition as `@try_sudo`. */
function statements(script: string): string[] {
  const body = script.replace(/^export TRY_SUDO_USE_SUDO=[01]; /, "").replace(TRY_SUDO_DEF, "@try_sudo");
  return body.split("; ");
}

const ok = (stdout = ""): CommandResult => ({ stdout, stderr: "", code: 0 });

/** bash's answer to a command that does not exist on the node. */
function notFound(script: string): CommandResult {
  const word = script.trim().split(/[\s;|&()<>]/)[0] || script.trim();
  return { stdout: "", stderr: `bash: line 1: ${word}: command not found\n`, code: 127 };
}

/** Matches statements against patterns one by one; the captures of all, or undefined. */
function matchAll(stmts: readonly string[], patterns: readonly RegExp[]): string[] | undefined {
  if (stmts.length !== patterns.length) return undefined;
  const captures: string[] = [];
  for (let i = 0; i < patterns.length; i++) {
    const m = patterns[i].exec(stmts[i]);
    if (!m) return undefined;
    captures.push(...m.slice(1));
  }
  return captures;
}

/**
 * `createCustomDisk` (`proxmoxtf/resource/vm/disk/disk.go`): a disk from `file_id` is
 * `pvesm path`, `qm disk import … | grep unused0 | cut …` and `qm set <vmid> -<iface> <volid>,<options>`.
 */
const DISK_IMPORT: readonly RegExp[] = [
  /^set -e$/,
  /^@try_sudo$/,
  new RegExp(`^file_id=${VALUE}$`),
  new RegExp(`^file_format=${VALUE}$`),
  new RegExp(`^datastore_id_target=${VALUE}$`),
  /^vm_id=(\d+)$/,
  new RegExp(`^disk_options=${VALUE}?$`),
  new RegExp(`^disk_interface=${VALUE}$`),
  /^source_image=\$\(try_sudo \/usr\/sbin\/pvesm path \$file_id\)$/,
  /^imported_disk=\$\(try_sudo \/usr\/sbin\/qm disk import \$vm_id \$source_image \$datastore_id_target -format \$file_format \| grep unused0 \| cut -d : -f 3 \| cut -d \\' -f 1\)$/,
  /^disk_id=\$\{datastore_id_target\}:\$imported_disk,\$disk_options$/,
  /^try_sudo \/usr\/sbin\/qm set \$vm_id -\$\{disk_interface\} \$disk_id$/,
];

async function diskImport(exec: NodeExec, v: string[]): Promise<CommandResult> {
  const [fileId, fileFormat, storeid, vmid, options = "", iface] = v;
  const path = pvesmPath(exec.sim, exec.node, fileId);
  if (path.code !== 0) return path; // `set -e`: a failed command substitution in an assignment ends the script
  const imported = await qmDiskImport(exec.sim, exec.node, vmid, path.stdout.trim(), storeid, fileFormat);
  // The pipeline's status is `cut`'s, so a failed import only leaves the name empty.
  const line = imported.stdout.split("\n").find((l) => l.includes("unused0")) ?? "";
  const name = (line.split(":")[2] ?? "").split("'")[0];
  const set = await qmSet(exec.sim, exec.node, vmid, iface, `${storeid}:${name},${options}`);
  return { stdout: set.stdout, stderr: imported.stderr + set.stderr, code: set.code };
}

/** `uploadFile` (`proxmox/ssh/client.go`): stdin streamed into `try_sudo /usr/bin/tee <path>`. */
const TEE_UPLOAD: readonly RegExp[] = [/^@try_sudo$/, /^try_sudo \/usr\/bin\/tee (\/\S+)$/];

async function teeUpload(exec: NodeExec, target: string): Promise<CommandResult> {
  const data = await exec.stdin();
  const file = nodeFileAt(exec.sim.state, exec.node, target);
  if (!file) return { stdout: data.toString("latin1"), stderr: `/usr/bin/tee: ${target}: No such file or directory\n`, code: 1 };
  if (data.length > MAX_UPLOAD_BYTES) return { stdout: "", stderr: `/usr/bin/tee: ${target}: No space left on device\n`, code: 1 };
  storeNodeFile(exec.sim.state, exec.node, file, data);
  exec.sim.save();
  return ok(data.toString("latin1"));
}

/** `probeSudo`: root (`id -u` = 0) answers `0` in the first branch. */
function isSudoProbe(script: string): boolean {
  return script.startsWith(`if [ "$(id -u)" = "0" ]; then echo "0"; elif `) && script.endsWith(`then echo "1"; else echo "0"; fi`);
}

/** `containerSetIDMaps` (`container.go`) edits `/etc/pve/lxc/<vmid>.conf`; the simulator has no containers. */
const LXC_IDMAP = /^try_sudo sed -i '\/\^lxc\\\.idmap:\/d' (\/etc\/pve\/lxc\/\d+\.conf)$/;

/** Runs one exec request of the provider against the simulated node. */
export async function runNodeCommand(exec: NodeExec, command: string): Promise<CommandResult> {
  const script = bashScript(command);
  if (script === undefined) return notFound(command);
  if (isSudoProbe(script)) return ok("0\n");
  const stmts = statements(script);
  const disk = matchAll(stmts, DISK_IMPORT);
  if (disk) return diskImport(exec, disk);
  const tee = matchAll(stmts, TEE_UPLOAD);
  if (tee) return teeUpload(exec, tee[0]);
  const lxc = stmts[0] === "set -e" && stmts[1] === "@try_sudo" ? LXC_IDMAP.exec(stmts[2] ?? "") : null;
  if (lxc) return { stdout: "", stderr: `sed: can't read ${lxc[1]}: No such file or directory\n`, code: 2 };
  return notFound(stmts.find((s) => s !== "set -e" && s !== "@try_sudo") ?? script);
}
