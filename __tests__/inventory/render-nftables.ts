import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ANSIBLE_DIR, ANSIBLE_ENV } from "../ansible/ansible-cli";
import { runChecked } from "../ansible/run-command";

const ROLE = path.join(ANSIBLE_DIR, "roles", "nftables");

// Renders only the role's template, on this machine: `connection: local` and no other task, so
// nothing is installed or loaded — the host gets files in a temporary folder, nothing else.
const PLAYBOOK = `---
- name: Render the nftables ruleset of every host of the inventory
  hosts: all
  gather_facts: false
  connection: local
  tasks:
    - name: Render the role's nftables.conf.j2 with the host's variables
      ansible.builtin.template:
        src: "{{ render_template }}"
        dest: "{{ render_dir }}/{{ inventory_hostname }}.nft"
        mode: "0644"
`;

/**
 * Renders `roles/nftables/templates/nftables.conf.j2` for every host of an inventory file with
 * Debian's ansible-playbook, the host variables coming from the inventory. The role defaults the
 * template reads and the inventory does not set are passed as extra vars (the inventory's own
 * values must win, and a play's vars would override them). Returns the ruleset per host.
 */
export async function renderNftables(inventoryFile: string, workdir: string): Promise<Map<string, string>> {
  const out = path.join(workdir, "rendered");
  fs.mkdirSync(out, { recursive: true });
  const playbook = path.join(workdir, "render-nftables.yml");
  fs.writeFileSync(playbook, PLAYBOOK);
  const inventoryVars = new Set(["nftables_allowed_inbound"]);
  const defaults = parse(fs.readFileSync(path.join(ROLE, "defaults", "main.yml"), "utf8")) as Record<string, unknown>;
  const extra = {
    ...Object.fromEntries(Object.entries(defaults).filter(([k]) => !inventoryVars.has(k))),
    render_template: path.join(ROLE, "templates", "nftables.conf.j2"),
    render_dir: out,
    // The inventory asks for become (right for the VMs); rendering to a temp folder needs none.
    ansible_become: false,
  };
  await runChecked("ansible-playbook", ["-i", inventoryFile, "-e", JSON.stringify(extra), playbook], {
    cwd: ANSIBLE_DIR,
    env: { ...ANSIBLE_ENV, ANSIBLE_LOCAL_TEMP: path.join(workdir, "ansible-tmp"), ANSIBLE_HOME: path.join(workdir, "ansible-home") },
  });
  return new Map(fs.readdirSync(out).map((f) => [f.replace(/\.nft$/, ""), fs.readFileSync(path.join(out, f), "utf8")]));
}
