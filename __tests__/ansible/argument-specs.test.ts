import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ANSIBLE_DIR } from "./ansible-cli";

// Every role variable is documented in meta/argument_specs.yml (which Ansible also uses to validate
// input before the role runs), and the documented default is the one defaults/main.yml really sets.

interface OptionSpec {
  type?: string;
  default?: unknown;
  description?: string | string[];
  options?: Record<string, OptionSpec>;
}

const ROLES = ["ssh_hardening", "fail2ban", "auditd", "unattended_upgrades", "nftables", "sysctl_hardening", "luks_data_disk"];

function readYaml<T>(...segments: string[]): T {
  return parse(fs.readFileSync(path.join(ANSIBLE_DIR, ...segments), "utf8")) as T;
}

function mainOptions(role: string): Record<string, OptionSpec> {
  const specs = readYaml<{ argument_specs: { main: { options: Record<string, OptionSpec> } } }>("roles", role, "meta", "argument_specs.yml");
  return specs.argument_specs.main.options;
}

function allOptions(options: Record<string, OptionSpec>, prefix = ""): [string, OptionSpec][] {
  return Object.entries(options).flatMap(([name, spec]) => [
    [prefix + name, spec] as [string, OptionSpec],
    ...allOptions(spec.options ?? {}, `${prefix}${name}.`),
  ]);
}

describe("role argument specs", () => {
  it("cover exactly the roles site.yml applies", () => {
    const plays = readYaml<{ roles: { role: string }[] }[]>("site.yml");
    expect(plays.flatMap((p) => p.roles.map((r) => r.role)).sort()).toEqual([...ROLES].sort());
  });

  it.each(ROLES)("%s documents every variable of defaults/main.yml and nothing else", (role) => {
    const defaults = readYaml<Record<string, unknown>>("roles", role, "defaults", "main.yml");
    expect(Object.keys(mainOptions(role)).sort()).toEqual(Object.keys(defaults).sort());
  });

  it.each(ROLES)("%s documents the defaults that defaults/main.yml sets", (role) => {
    const defaults = readYaml<Record<string, unknown>>("roles", role, "defaults", "main.yml");
    const documented = Object.entries(mainOptions(role)).filter(([, spec]) => "default" in spec);
    expect(documented.length).toBeGreaterThan(0);
    for (const [name, spec] of documented) {
      expect({ name, default: spec.default }).toEqual({ name, default: defaults[name] });
    }
  });

  it.each(ROLES)("%s gives every option, nested ones included, a type and a description", (role) => {
    const missing = allOptions(mainOptions(role))
      .filter(([, spec]) => !spec.type || !spec.description || spec.description.length === 0)
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it("keeps every optional feature off by default and every service managed", () => {
    const luks = readYaml<Record<string, unknown>>("roles", "luks_data_disk", "defaults", "main.yml");
    expect(luks.luks_data_disk_enabled).toBe(false);
    for (const role of ROLES) {
      const defaults = readYaml<Record<string, unknown>>("roles", role, "defaults", "main.yml");
      expect({ role, manage: defaults.hardening_manage_services }).toEqual({ role, manage: true });
    }
  });
});
