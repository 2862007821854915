import { Client, utils } from "ssh2";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { newHostKey } from "../../../sim/ssh/ssh-endpoint";

/** Runs one exec request on a node's endpoint; resolves with exit code and both outputs. */
function exec(
  sim: RunningSimulator,
  command: string,
  opts: { password?: string; stdin?: string; node?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const endpoint = sim.ssh.nodes[opts.node ?? 0];
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on("error", reject);
    c.on("ready", () => {
      c.exec(command, (err, ch) => {
        if (err) return reject(err);
        let stdout = "";
        let stderr = "";
        let code = -1;
        ch.on("data", (d: Buffer) => (stdout += d.toString()));
        ch.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        ch.on("exit", (n: number) => (code = n));
        ch.on("close", () => {
          c.end();
          resolve({ code, stdout, stderr });
        });
        ch.end(opts.stdin ?? "");
      });
    });
    c.connect({ host: endpoint.address, port: endpoint.port, username: sim.ssh.username, password: opts.password ?? sim.ssh.password, readyTimeout: 10_000 });
  });
}

/** The provider's wrapping of a script (`/bin/bash -c '…'`, `'` written `'"'"'`). */
const bash = (script: string) => `/bin/bash -c '${script.replace(/'/g, `'"'"'`)}'`;
const TRY_SUDO = `_try_sudo_check(){ if [ -z "\${_try_sudo_cached:-}" ]; then _try_sudo_use_sudo="\${TRY_SUDO_USE_SUDO:-0}"; _try_sudo_cached=1; fi; }; try_sudo(){ _try_sudo_check; if [ "$_try_sudo_use_sudo" = "1" ]; then sudo "$@"; else "$@"; fi; }`;

describe("the simulator's SSH endpoint", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ nodes: ["pve1", "pve2"] });
  });
  afterAll(async () => sim.stop());

  it("listens on 127.0.0.1 once per node, all with the login kept in the state", () => {
    expect(sim.ssh.nodes.map((n) => [n.name, n.address])).toEqual([
      ["pve1", "127.0.0.1"],
      ["pve2", "127.0.0.1"],
    ]);
    expect(sim.state.toJSON().ssh).toMatchObject({ username: "root", password: sim.ssh.password });
  });

  it("refuses a wrong password", async () => {
    await expect(exec(sim, "true", { password: "wrong" })).rejects.toThrow(/authentication methods failed/);
  });

  it("answers any other command as bash does for a missing one (exit 127), running nothing", async () => {
    const r = await exec(sim, bash("rm -rf /; echo pwned"));
    expect(r).toEqual({ code: 127, stdout: "", stderr: "bash: line 1: rm: command not found\n" });
  });

  it("stores a tee upload into a content directory as a volume of that node only", async () => {
    // GIVEN the provider's stream upload of a snippet to pve2
    const r = await exec(sim, bash(`export TRY_SUDO_USE_SUDO=0; ${TRY_SUDO}; try_sudo /usr/bin/tee /var/lib/vz/snippets/a.yaml`), {
      stdin: "#cloud-config\n",
      node: 1,
    });
    // THEN tee echoes it and the volume exists on pve2 with its size, not on pve1
    expect(r).toEqual({ code: 0, stdout: "#cloud-config\n", stderr: "" });
    const volumes = (sim.state.toJSON().storage as { volumes: Record<string, Record<string, Record<string, { size: number }>>> }).volumes;
    expect(volumes.pve2.local["snippets/a.yaml"].size).toBe(14);
    expect(volumes.pve1?.local?.["snippets/a.yaml"]).toBeUndefined();
  });

  it("refuses tee to a path outside the storages' content directories, including .. escapes", async () => {
    for (const target of ["/etc/passwd", "/var/lib/vz/snippets/../../../../etc/shadow"]) {
      const r = await exec(sim, bash(`${TRY_SUDO}; try_sudo /usr/bin/tee ${target}`), { stdin: "x" });
      expect([r.code, r.stderr]).toEqual([1, `/usr/bin/tee: ${target}: No such file or directory\n`]);
    }
  });

  it("fails the disk import at pvesm path for an unknown storage, as set -e stops the script", async () => {
    const script = [
      "set -e",
      TRY_SUDO,
      "file_id=nosuch:import/x.qcow2",
      "file_format=qcow2",
      "datastore_id_target=local-lvm",
      "vm_id=100",
      "disk_options=size=8G",
      "disk_interface=scsi0",
      "source_image=$(try_sudo /usr/sbin/pvesm path $file_id)",
      "imported_disk=$(try_sudo /usr/sbin/qm disk import $vm_id $source_image $datastore_id_target -format $file_format | grep unused0 | cut -d : -f 3 | cut -d \\' -f 1)",
      "disk_id=${datastore_id_target}:$imported_disk,$disk_options",
      "try_sudo /usr/sbin/qm set $vm_id -${disk_interface} $disk_id",
    ].join("; ");
    const r = await exec(sim, bash(script));
    expect([r.code, r.stderr]).toEqual([255, "storage 'nosuch' does not exist\n"]);
  });
});

describe("simulator SSH host keys", () => {
  it("are always keys ssh2 reads back (its generator writes about 1 in 200 ed25519 keys it cannot parse)", () => {
    // GIVEN 1,500 fresh host keys (ssh2's raw generator would produce several unreadable ones)
    const unreadable = Array.from({ length: 1500 }, () => newHostKey()).filter((k) => utils.parseKey(k) instanceof Error);
    // THEN every one parses, so a simulator never fails to start on its own host key
    expect(unreadable).toEqual([]);
  });
});
