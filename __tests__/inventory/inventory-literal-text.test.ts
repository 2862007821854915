import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseEnvironment, resolveDefaults, SpecError } from "../../envspec";
import { parseVmRows } from "../../deploy/vm-rows";
import { renderInventory, VmRow } from "../../inventory/ansible-inventory";
import { ANSIBLE_DIR, ANSIBLE_ENV, installAnsibleDeps } from "../ansible/ansible-cli";
import { runChecked } from "../ansible/run-command";

// What a spec or a guest writes reaches the Ansible inventory as data: Jinja in a rule comment is
// not run by Ansible, a double quote (which nftables comments cannot hold) is refused in the spec,
// and a row of the state's `vms` output that a guest could have shaped is refused before use.

const PROD = fs.readFileSync(path.join(__dirname, "..", "..", "environments", "prod.yaml"), "utf8");
const COMMENT = 'comment: "web frontends to the app API"';

function prodWithComment(comment: string) {
  expect(PROD).toContain(COMMENT);
  return resolveDefaults(parseEnvironment(PROD.replace(COMMENT, `comment: ${JSON.stringify(comment)}`), "environments/prod.yaml"));
}

const VMS: VmRow[] = [
  { name: "web-1", id: 1000100, node: "pve1", ipv4: "10.30.0.17", tier: "web" },
  { name: "app-1", id: 1000200, node: "pve1", ipv4: "10.30.0.33", tier: "app" },
];

describe("rule comments in the Ansible inventory", () => {
  it("are refused in the spec when they hold a double quote, at the comment's line and column", () => {
    let error: unknown;
    try {
      prodWithComment('web "frontends"');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const line = PROD.split("\n").findIndex((l) => l.includes(COMMENT)) + 1;
    expect((error as SpecError).message).toMatch(
      new RegExp(
        `environments/prod\\.yaml:${line}:\\d+ firewall\\.allow\\[0\\]\\.comment: must be a single line of at most 128 characters without double quotes`,
      ),
    );
  });

  it("are tagged !unsafe in the YAML when they could be read as Jinja, and only then", () => {
    const text = renderInventory(prodWithComment("app API {{ 6 * 7 }}"), VMS);
    expect(text).toContain("comment: !unsafe app API {{ 6 * 7 }}");
    expect(text).toContain("ansible_host: 10.30.0.33");
    expect(text).not.toMatch(/!unsafe (?!app API)/);
  });

  it("reach Ansible as written: a Jinja expression in a comment is not evaluated", async () => {
    await installAnsibleDeps();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-unsafe-"));
    try {
      const file = path.join(dir, "prod.yml");
      fs.writeFileSync(file, renderInventory(prodWithComment("app API {{ 6 * 7 }}"), VMS));
      // debug is an action that runs on the controller: nothing connects to the (invented) host address.
      const out = await runChecked("ansible", ["app-1", "-i", file, "-m", "ansible.builtin.debug", "-a", "var=nftables_allowed_inbound[0].comment"], {
        cwd: ANSIBLE_DIR,
        env: ANSIBLE_ENV,
      });
      expect(out.stdout).toContain('"nftables_allowed_inbound[0].comment": "app API {{ 6 * 7 }}"');
      expect(out.stdout).not.toContain("app API 42");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("parseVmRows (the state's vms output)", () => {
  it("returns rows that are exactly a name, an id, a node, an IPv4 address and a tier", () => {
    expect(parseVmRows(VMS, "state")).toEqual(VMS);
    expect(parseVmRows([{ ...VMS[0], ipv4: "" }], "state")[0].ipv4).toBe("");
  });

  it.each([
    ["an address a guest agent made up", { ipv4: "{{ lookup('pipe','id') }}" }, "state: vms[0].ipv4 must be an IPv4 address"],
    ["an address with leading zeros", { ipv4: "10.030.0.1" }, "state: vms[0].ipv4 must be an IPv4 address"],
    ["a name with a space", { name: "web 1" }, "state: vms[0].name must be a VM name"],
    ["a node with a slash", { node: "pve1/../x" }, "state: vms[0].node must be a node name"],
    ["an id that is text", { id: "1000100" }, "state: vms[0].id must be a VM id"],
    ["a tier in upper case", { tier: "Web" }, "state: vms[0].tier must be a tier name"],
  ])("refuses %s, naming the row and field", (_what, change, message) => {
    expect(() => parseVmRows([{ ...VMS[0], ...change }], "state")).toThrow(message);
  });

  it("refuses an output that is not a list", () => {
    expect(() => parseVmRows({ a: 1 }, "state")).toThrow('state: the "vms" output is not a list');
  });
});
