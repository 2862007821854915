import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderCliConfig } from "../../toolchain/cli-config";
import { toolchainPaths } from "../../toolchain/paths";
import { chooseProviderSource } from "../../toolchain/provider-source";
import { findTerraform, probeTerraform } from "../../toolchain/terraform-binary";

const root = path.resolve(__dirname, "..", "..");

function fakeBinary(dir: string, name: string, versionJson: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\necho '${versionJson}'\n`, { mode: 0o755 });
  return file;
}

describe("setup step", () => {
  it("reports cached on a second run and builds nothing", () => {
    // The pretest step already ran setup once, so this run must find everything in place.
    const out = execFileSync(process.execPath, [require.resolve("tsx/cli"), "scripts/setup.ts", "--quiet"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(out).toMatch(/^toolchain: cached \(bpg\/proxmox 0\.111\.1 from the (mirror|registry)/m);
    expect(out).not.toMatch(/Building|Generating/);
  });

  it("points bpg/proxmox at the filesystem mirror and keeps every other provider direct", () => {
    const paths = toolchainPaths("/p");
    const cfg = renderCliConfig(paths, "mirror");
    expect(cfg).toContain('path    = "/p/.toolchain/mirror"');
    expect(cfg).toContain('include = ["registry.terraform.io/bpg/proxmox","registry.opentofu.org/bpg/proxmox"]');
    expect(cfg).toMatch(/direct \{\n\s+exclude = \["registry.terraform.io\/bpg\/proxmox"/);
    // No shared plugin cache: concurrent inits would race on it.
    expect(cfg).not.toContain("plugin_cache_dir");
  });

  it("leaves provider installation to the registry in registry mode", () => {
    const cfg = renderCliConfig(toolchainPaths("/p"), "registry");
    expect(cfg).not.toContain("provider_installation");
    expect(cfg).toContain('plugin_cache_dir = "/p/.toolchain/plugin-cache"');
  });

  it("honours a forced provider source and rejects an unknown one", async () => {
    const saved = process.env.PROXMOX_CDK_PROVIDER_SOURCE;
    try {
      process.env.PROXMOX_CDK_PROVIDER_SOURCE = "registry";
      await expect(chooseProviderSource(true)).resolves.toBe("registry");
      process.env.PROXMOX_CDK_PROVIDER_SOURCE = "ftp";
      await expect(chooseProviderSource(false)).rejects.toThrow(/PROXMOX_CDK_PROVIDER_SOURCE=ftp/);
    } finally {
      if (saved === undefined) delete process.env.PROXMOX_CDK_PROVIDER_SOURCE;
      else process.env.PROXMOX_CDK_PROVIDER_SOURCE = saved;
    }
  });

  it("keeps an existing mirror without asking the registry", async () => {
    const saved = process.env.PROXMOX_CDK_PROVIDER_SOURCE;
    delete process.env.PROXMOX_CDK_PROVIDER_SOURCE;
    try {
      await expect(chooseProviderSource(true)).resolves.toBe("mirror");
    } finally {
      if (saved !== undefined) process.env.PROXMOX_CDK_PROVIDER_SOURCE = saved;
    }
  });
});

describe("terraform binary detection", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tfbin-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("accepts terraform 1.5 and newer", () => {
    const bin = fakeBinary(dir, "terraform-new", '{"terraform_version":"1.5.7"}');
    expect(probeTerraform(bin)).toEqual({ command: bin, flavour: "terraform", version: "1.5.7" });
  });

  it("recognises OpenTofu by its binary name", () => {
    const bin = fakeBinary(dir, "tofu", '{"terraform_version":"1.6.2"}');
    expect(probeTerraform(bin)?.flavour).toBe("tofu");
  });

  it("refuses terraform older than 1.5 and explains the fallback", () => {
    const bin = fakeBinary(dir, "terraform-old", '{"terraform_version":"1.4.6"}');
    const saved = process.env.TERRAFORM_BINARY_NAME;
    process.env.TERRAFORM_BINARY_NAME = bin;
    try {
      expect(() => findTerraform()).toThrow(/TERRAFORM_BINARY_NAME=.*terraform-old[\s\S]*--build-tofu/);
    } finally {
      process.env.TERRAFORM_BINARY_NAME = saved;
    }
  });

  it("fails clearly when no binary runs at all", () => {
    const savedName = process.env.TERRAFORM_BINARY_NAME;
    delete process.env.TERRAFORM_BINARY_NAME;
    try {
      const missing = [path.join(dir, "no-terraform"), path.join(dir, "no-tofu")];
      expect(() => findTerraform([], missing)).toThrow(/No Terraform binary found: install terraform >= 1.5 or OpenTofu/);
    } finally {
      process.env.TERRAFORM_BINARY_NAME = savedName;
    }
  });
});

describe("repository hygiene", () => {
  it("tracks no provider binary, no .terraform/ and no cdktf.out/", () => {
    const res = spawnSync("git", ["ls-files"], { cwd: root, encoding: "utf8" });
    if (res.status !== 0) throw new Error(`git ls-files failed: ${res.stderr}`);
    const offenders = res.stdout.split("\n").filter((f) => /(^|\/)(\.terraform\/|cdktf\.out\/|\.toolchain\/|\.gen\/)|terraform-provider-proxmox/.test(f));
    expect(offenders).toEqual([]);
  });
});
