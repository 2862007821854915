import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { accessState } from "../../../sim/access-model";
import { startSimulator } from "../../../sim/index";
import { SimState } from "../../../sim/sim-state";
import { loadStateFile } from "../../../sim/state-file";
import { pveCall, PveTarget } from "../../e2e/harness/pve-client";
import { startSimProcess, writeLargeState } from "./sim-process";

describe("simulator state file", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-state-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("resumes users, roles and the bootstrap token after a restart", async () => {
    // GIVEN a simulator with a state file, where a user and a role were created
    const stateFile = path.join(dir, "state.json");
    const first = await startSimulator({ stateFile });
    const token = first.apiToken;
    await pveCall(first, "POST", "/access/users", { token, args: { userid: "kept@pve", comment: "survives" } });
    await pveCall(first, "POST", "/access/roles", { token, args: { roleid: "Kept", privs: "VM.Audit" } });
    await first.stop();

    // WHEN a new simulator starts on the same file
    const second = await startSimulator({ stateFile });
    try {
      // THEN the same token works, and the objects are there
      expect(second.apiToken).toBe(token);
      const user = await pveCall(second, "GET", "/access/users/kept%40pve", { token });
      expect(user.body.data.comment).toBe("survives");
      expect(accessState(second.state).roles.Kept).toEqual(["VM.Audit"]);
      // AND the CA is reused, so clients that trust it keep working
      expect(second.caCertPath).toBe(first.caCertPath);
    } finally {
      await second.stop();
    }
  });

  it("writes the state file readable by its owner only", async () => {
    const stateFile = path.join(dir, "state.json");
    const sim = await startSimulator({ stateFile });
    await sim.stop();
    expect(fs.statSync(stateFile).mode & 0o777).toBe(0o600);
  });

  it("refuses to start on a corrupt state file, naming the file", async () => {
    const stateFile = path.join(dir, "state.json");
    fs.writeFileSync(stateFile, '{"format": "proxmox-cdk-sim-state", "version": 1, "slices": {');
    await expect(startSimulator({ stateFile })).rejects.toThrow(`Simulator state file ${stateFile} is corrupt`);
    // and leaves the file alone
    expect(fs.readFileSync(stateFile, "utf8")).toContain('"slices": {');
  });

  it("refuses a JSON file that is not a simulator state", async () => {
    const stateFile = path.join(dir, "state.json");
    fs.writeFileSync(stateFile, '{"users": []}');
    await expect(startSimulator({ stateFile })).rejects.toThrow(`Simulator state file ${stateFile} is not a proxmox-cdk simulator state`);
  });

  describe("when the process is killed during writes", () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });

    async function startChild(stateFile: string): Promise<PveTarget & { apiToken: string }> {
      const started = await startSimProcess(stateFile);
      child = started.child;
      return started.target;
    }

    /**
     * Kills the child with SIGKILL as soon as a save is seen under way: a temporary file next to
     * the state (atomic writes) or the state file itself shorter than before (in-place writes).
     */
    function killWhenWriting(proc: ChildProcess, stateFile: string): Promise<void> {
      const dirName = path.dirname(stateFile);
      const fullSize = fs.statSync(stateFile).size;
      return new Promise((resolve) => {
        const poll = setInterval(() => {
          const temp = fs.readdirSync(dirName).some((n) => n.endsWith(".tmp"));
          const shrunk = fs.existsSync(stateFile) && fs.statSync(stateFile).size < fullSize;
          if (temp || shrunk) {
            clearInterval(poll);
            proc.kill("SIGKILL");
            resolve();
          }
        }, 1);
      });
    }

    it("leaves a complete, loadable state file (SIGKILL while large saves are under way)", async () => {
      // GIVEN a state of several MB (so that every save is a long write) served by a child process
      const stateFile = path.join(dir, "state.json");
      await writeLargeState(stateFile);
      const sim = await startChild(stateFile);

      // WHEN changes are being saved and the process is killed in the middle of a write
      const inFlight = Array.from({ length: 60 }, (_, i) =>
        pveCall(sim, "POST", "/access/users", { token: sim.apiToken, args: { userid: `u${i}@pve` } }).catch(() => undefined),
      );
      const exited = new Promise((r) => child?.once("exit", r));
      await killWhenWriting(child as ChildProcess, stateFile);
      await exited;
      await Promise.all(inFlight);

      // THEN the file parses as a complete state holding everything that was there before
      const after = new SimState(loadStateFile(stateFile));
      expect(Object.keys(accessState(after).users)).toEqual(expect.arrayContaining(["root@pam", "big0@pve", "big1999@pve"]));
      // AND a restarted simulator serves it with the same token
      const again = await startSimulator({ stateFile });
      try {
        expect(again.apiToken).toBe(sim.apiToken);
        expect((await pveCall(again, "GET", "/access/users/big1999%40pve", { token: again.apiToken })).status).toBe(200);
      } finally {
        await again.stop();
      }
    }, 120_000);
  });
});
