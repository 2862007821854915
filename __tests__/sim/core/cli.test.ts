import { spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { Writable } from "stream";
import { parseLatency, parseSimArgs, runSimCli } from "../../../sim/cli";

const ROOT = path.resolve(__dirname, "../../..");

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, done) {
      w.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  w.text = "";
  return w;
}

describe("proxmox-cdk sim command line", () => {
  it("maps friendly latency names to PVE task types and parses durations", () => {
    expect(parseLatency("clone=2s,create=1s,start=500ms,vzcreate=1.5s")).toEqual({ qmclone: 2000, qmcreate: 1000, qmstart: 500, vzcreate: 1500 });
  });

  it("reads every option, in both --flag value and --flag=value forms", () => {
    const args = parseSimArgs([
      "--port=0",
      "--nodes",
      "a1,b2",
      "--state",
      "/tmp/s.json",
      "--latency",
      "clone=1s",
      "--faults",
      "GET:/version=503",
      "--seed",
      "42",
    ]);
    expect(args.options).toEqual({ port: 0, nodes: ["a1", "b2"], stateFile: "/tmp/s.json", latency: { qmclone: 1000 }, faults: "GET:/version=503", seed: 42 });
  });

  it("defaults to port 8006 like PVE", () => {
    expect(parseSimArgs([]).options.port).toBe(8006);
  });

  it.each([
    [["--port", "70000"], /--port: expected an integer between 0 and 65535/],
    [["--latency", "clone"], /--latency: "clone" must be NAME=DURATION/],
    [["--faults", "GET:/x=700"], /status 400-599/],
    [["--frobnicate"], /unknown option "--frobnicate"/],
    [["--state"], /--state: missing value/],
  ])("rejects %j with exit code 2 and a message", async (argv, message) => {
    const err = sink();
    expect(await runSimCli(argv, sink(), err)).toBe(2);
    expect(err.text).toMatch(message);
  });

  it("prints help naming every option", async () => {
    const out = sink();
    expect(await runSimCli(["--help"], out, sink())).toBe(0);
    for (const flag of ["--port", "--nodes", "--state", "--latency", "--faults", "--seed"]) expect(out.text).toContain(flag);
  });

  it("prints endpoint, token and CA path, serves, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "sim/cli.ts", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const lines = readline.createInterface({ input: child.stdout });
      const text: string[] = [];
      await new Promise<void>((resolve, reject) => {
        lines.on("line", (l) => {
          text.push(l);
          if (l.startsWith("export ")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
      });
      const all = text.join("\n");
      expect(all).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+\//);
      expect(all).toMatch(/API token: +root@pam!sim=[0-9a-f-]{36}/);
      expect(all).toMatch(/CA certificate: +\/.*ca\.pem/);
      const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 60_000);
});
