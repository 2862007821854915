import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { runDoctor } from "../../ai/doctor";
import { detectHardware, HardwareFacts } from "../../ai/hardware";
import { recommendTier } from "../../ai/model-tier";
import { startFakeOllama } from "../../ai/testing/fake-ollama";
import { parseArgs } from "../../cli/args";
import { createDoctorCommand } from "../../cli/commands/doctor";

const GiB = 1024 ** 3;
const machine = (gib: number, gpu: string[] = []): HardwareFacts => ({ totalMemBytes: gib * GiB, cpuCores: 8, gpu });

async function doctorCli(host: string, hardware: HardwareFacts, argv: string[] = []) {
  const lines: string[] = [];
  const command = createDoctorCommand({ hardware, environment: { OLLAMA_HOST: host }, log: (l) => lines.push(l) });
  const code = await command.run(parseArgs(argv, command.args), argv);
  return { code, text: lines.join("\n") };
}

describe("doctor", () => {
  it.each([
    [2, [], "llama3.2:1b"],
    [3.7, [], "llama3.2:3b"], // a "4 GB" machine as the OS reports it
    [5, [], "llama3.2:3b"],
    [7.6, [], "llama3.1:8b"],
    [11, ["/dev/nvidia0"], "llama3.1:8b-instruct-q8_0"], // a "12 GB" machine
    [15.5, [], "llama3.1:8b-instruct-q8_0"],
    [24, ["/dev/nvidia0"], "llama3.1:8b-instruct-q8_0"],
    [31, [], "llama3.1:8b-instruct-q8_0"],
    [31, ["/dev/nvidia0"], "llama3.1:70b"],
  ])("recommends for %s GiB RAM with GPU %j: %s", (gib, gpu, model) => {
    expect(recommendTier(machine(gib, gpu)).model).toBe(model);
  });

  it("finds GPUs from device files and nvidia-smi on PATH, without running anything", () => {
    // GIVEN a fake /dev with an NVIDIA node and a render node, and a PATH holding nvidia-smi
    const dev = fs.mkdtempSync(path.join(os.tmpdir(), "dev-"));
    fs.mkdirSync(path.join(dev, "dri"));
    for (const f of ["nvidia0", "nvidiactl", "dri/renderD128", "dri/card0"]) fs.writeFileSync(path.join(dev, f), "");
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "bin-"));
    fs.writeFileSync(path.join(bin, "nvidia-smi"), "");

    // WHEN detecting
    const hw = detectHardware({ devDir: dev, pathEnv: bin, totalMemBytes: 8 * GiB, cpuCores: 4, platform: "linux" });

    // THEN the evidence lists each one; an empty tree finds none
    expect(hw.gpu).toEqual([path.join(dev, "nvidia0"), path.join(dev, "dri", "renderD128"), `nvidia-smi on PATH (${path.join(bin, "nvidia-smi")})`]);
    expect(detectHardware({ devDir: path.join(dev, "none"), pathEnv: "", platform: "linux" }).gpu).toEqual([]);
  });

  it("is ready when Ollama answers and the model is pulled", async () => {
    // GIVEN an Ollama with the default model
    const fake = await startFakeOllama({ models: ["llama3.1:8b"] });
    try {
      // WHEN checking an 8 GiB machine (which suits the default model)
      const { code, text } = await doctorCli(fake.host, machine(7.6));

      // THEN every check passes
      expect(code).toBe(0);
      expect(text).toContain("ok   ollama: Ollama 0.12.0 answers at");
      expect(text).toContain("ok   model: llama3.1:8b is pulled");
      expect(text).toContain("ok   context: llama3.1:8b offers 131072 tokens of context; draft asks for 8192");
      expect(text).toContain(`Ready: proxmox-cdk draft will use llama3.1:8b at ${fake.host}.`);
    } finally {
      await fake.stop();
    }
  });

  it("prints `ollama pull` for a missing model and recommends the machine's tier", async () => {
    // GIVEN an Ollama with no model, on a 4 GiB machine
    const fake = await startFakeOllama({ models: [] });
    try {
      // WHEN checking
      const { code, text } = await doctorCli(fake.host, machine(4));

      // THEN the model check fails with the pull command, and the smaller tier is suggested
      expect(code).toBe(1);
      expect(text).toContain("FAIL model: llama3.1:8b is not pulled (no model is pulled)\n     fix: ollama pull llama3.1:8b");
      expect(text).toContain("fix: ollama pull llama3.2:3b, then export PROXMOX_CDK_MODEL=llama3.2:3b (or draft --model llama3.2:3b)");
    } finally {
      await fake.stop();
    }
  });

  it("prints `ollama serve` and the install hint when nothing answers", async () => {
    // GIVEN a port nothing listens on
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((r) => server.close(() => r()));

    // WHEN checking
    const { code, text } = await doctorCli(host, machine(16));

    // THEN it fails with how to start and install Ollama
    expect(code).toBe(1);
    expect(text).toContain(`FAIL ollama: Ollama is not reachable at ${host} (ECONNREFUSED)`);
    expect(text).toContain(
      "fix: start it: `ollama serve` (or set OLLAMA_HOST to where it listens); not installed? install Ollama: `curl -fsSL https://ollama.com/install.sh | sh`",
    );
  });

  it("fails when the model's context is smaller than draft asks for", async () => {
    // GIVEN a model that offers 4096 tokens
    const fake = await startFakeOllama({ models: ["llama3.1:8b"], contextLength: 4096 });
    try {
      // WHEN checking
      const report = await runDoctor({ hardware: machine(8), host: fake.host, environment: {} });

      // THEN the context check fails with a fix
      const ctx = report.checks.find((c) => c.name === "context")!;
      expect([report.ok, ctx.ok, ctx.fix]).toEqual([false, false, "use a model with a larger context (e.g. llama3.1:8b) or pass --num-ctx 4096"]);
    } finally {
      await fake.stop();
    }
  });
});
