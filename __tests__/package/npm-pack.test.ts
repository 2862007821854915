import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" } });

describe("published package", () => {
  jest.setTimeout(600_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pcdk-pack-"));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("installs from its tarball into a scratch TypeScript project that imports HardenedVm and synthesises", () => {
    // GIVEN the tarball npm would publish (prepack builds dist/ with the bindings)
    const packed = run("npm", ["pack", "--pack-destination", work, "--silent"], root).trim().split("\n").pop() as string;
    const tarball = path.join(work, packed);
    expect(fs.existsSync(tarball)).toBe(true);

    // AND a scratch project that depends on it
    const app = path.join(work, "consumer");
    fs.mkdirSync(app);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    fs.writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({ name: "consumer", private: true, dependencies: { "proxmox-cdk": `file:${tarball}`, cdktf: pkg.dependencies.cdktf, constructs: pkg.dependencies.constructs } }),
    );
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
    fs.writeFileSync(
      path.join(app, "main.ts"),
      [
        'import { App, TerraformStack } from "cdktf";',
        'import { HardenedVm, VmTemplate, ProxmoxProvider, Port, withFastSynth } from "proxmox-cdk";',
        'const app = new App({ outdir: "out" });',
        'const stack = new TerraformStack(app, "consumer");',
        'new ProxmoxProvider(stack, "pve", {});',
        'const t = new VmTemplate(stack, "tpl", { node: "pve1", name: "debian", image: { url: "https://example.org/debian.qcow2", checksum: "' + "ab".repeat(64) + '" } });',
        'const vm = new HardenedVm(stack, "web", { node: "pve1", name: "web-1", template: t, user: { sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake consumer"] }, ipv4: { address: "10.0.0.5/24" } });',
        "vm.connections.allowFromAnyIpv4(Port.HTTPS);",
        "withFastSynth(() => app.synth());",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", target: "ES2022", esModuleInterop: true, skipLibCheck: true } }));

    // WHEN it is type-checked and compiled with TypeScript, then run
    run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."], app);
    run(process.execPath, ["main.js"], app);

    // THEN the synthesised stack holds the hardened VM and its firewall
    const synth = JSON.parse(fs.readFileSync(path.join(app, "out", "stacks", "consumer", "cdk.tf.json"), "utf8"));
    expect(Object.keys(synth.resource)).toEqual(
      expect.arrayContaining(["proxmox_virtual_environment_vm", "proxmox_virtual_environment_firewall_options", "proxmox_virtual_environment_firewall_rules"]),
    );
  });
});
