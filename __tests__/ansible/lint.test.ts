import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ANSIBLE_DIR, installAnsibleDeps, runAnsibleTool } from "./ansible-cli";

// Static checks of the Ansible project with Debian 12's ansible-core 2.14 and ansible-lint 6.13.
jest.setTimeout(5 * 60_000);

beforeAll(() => installAnsibleDeps(), 10 * 60_000);

describe("ansible project", () => {
  it("passes ansible-playbook --syntax-check with the example inventory", async () => {
    const res = await runAnsibleTool("ansible-playbook", ["-i", "inventory.example.yml", "--syntax-check", "site.yml"]);
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("passes ansible-lint with the production profile", async () => {
    const res = await runAnsibleTool("ansible-lint", ["--profile", "production"]);
    expect({ status: res.status, output: res.stdout + res.stderr }).toMatchObject({ status: 0 });
    expect(res.stdout + res.stderr).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
  });

  it("fails ansible-lint on a task without a name, FQCN or changed_when (the lint step can fail)", async () => {
    // GIVEN a copy of the project with one sloppy task added
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "ansible-lint-canary-"));
    try {
      fs.cpSync(ANSIBLE_DIR, copy, { recursive: true });
      fs.appendFileSync(path.join(copy, "roles", "auditd", "tasks", "main.yml"), "\n- shell: echo hi\n");
      // WHEN it is linted like the real project
      const res = await runAnsibleTool("ansible-lint", ["--profile", "production"], copy);
      // THEN the production rules catch it
      expect(res.status).not.toBe(0);
      expect(res.stdout + res.stderr).toMatch(/fqcn\[action-core\]/);
      expect(res.stdout + res.stderr).toMatch(/no-changed-when/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("pins the Debian 12 toolchain the roles are written for", async () => {
    const ansible = await runAnsibleTool("ansible", ["--version"]);
    const lint = await runAnsibleTool("ansible-lint", ["--version"]);
    expect(ansible.stdout).toMatch(/^ansible \[core 2\.14\./m);
    expect(lint.stdout).toMatch(/^ansible-lint 6\.13\./m);
  });
});

describe("inventory.example.yml", () => {
  interface ExampleInventory {
    _meta: { hostvars: Record<string, Record<string, unknown>> };
    [group: string]: unknown;
  }

  it("has one group per tier and the host variables the generator must write", async () => {
    const res = await runAnsibleTool("ansible-inventory", ["-i", "inventory.example.yml", "--list"]);
    expect(res.status).toBe(0);
    const inv = JSON.parse(res.stdout) as ExampleInventory;
    const hosts = Object.entries(inv._meta.hostvars);
    expect(hosts.length).toBeGreaterThan(0);
    for (const [name, vars] of hosts) {
      expect({ name, ansible_host: vars.ansible_host }).toEqual({ name, ansible_host: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
      expect(typeof vars.tier).toBe("string");
      expect(typeof vars.stage).toBe("string");
      expect(Array.isArray(vars.nftables_allowed_inbound)).toBe(true);
      const group = inv[vars.tier as string] as { hosts?: string[] } | undefined;
      expect(group?.hosts).toContain(name);
    }
  });
});
