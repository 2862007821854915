import { TerraformVariable } from "cdktf";
import { parse } from "yaml";
import { CloudInitUserData, renderCloudConfig } from "../../constructs/cloud-init-user-data";
import { HardenedVm, HardenedVmProps } from "../../constructs/hardened-vm";
import { SSH_KEY, debianTemplate, newStack, synthJson } from "./fixtures";

function vmWith(userData: CloudInitUserData | undefined, extra: Partial<HardenedVmProps> = {}) {
  const { stack } = newStack();
  new HardenedVm(stack, "web", { node: "pve2", name: "web-1", template: debianTemplate(stack), user: { sshKeys: [SSH_KEY] }, userData, ...extra });
  return synthJson(stack);
}

function vmOf(json: ReturnType<typeof synthJson>): Record<string, any> {
  return Object.entries(json.resource.proxmox_virtual_environment_vm).find(([k]) => k.startsWith("web_"))![1] as Record<string, any>;
}

function snippetOf(json: ReturnType<typeof synthJson>): Record<string, any> {
  return Object.values(json.resource.proxmox_virtual_environment_file ?? {})[0] as Record<string, any>;
}

describe("HardenedVm cloud-init user data", () => {
  it("stays API-only without user data: no snippet and no user_data_file_id", () => {
    // GIVEN a VM without userData WHEN synthesised
    const json = vmWith(undefined);
    // THEN nothing is uploaded over SSH
    expect(json.resource.proxmox_virtual_environment_file).toBeUndefined();
    expect(vmOf(json).initialization.user_data_file_id).toBeUndefined();
  });

  it("uploads the cloud-config as a snippet on the VM's node and points user_data_file_id at it", () => {
    // GIVEN a VM with packages WHEN synthesised
    const json = vmWith({ packages: ["nginx"] });
    // THEN a snippets file on pve2's local datastore exists and the VM references its id
    const file = snippetOf(json);
    expect(file).toMatchObject({ node_name: "pve2", datastore_id: "local", content_type: "snippets" });
    expect(file.source_raw.file_name).toBe("web-1-user-data.yaml");
    expect(vmOf(json).initialization.user_data_file_id).toMatch(/^\$\{proxmox_virtual_environment_file\.web_user-data_file_[0-9A-F]+\.id\}$/);
  });

  it("renders YAML that still creates the hardened user with its keys, openssh-server first, and no password", () => {
    // GIVEN user data with packages, a command and a file
    const data: CloudInitUserData = {
      packages: ["nginx", "openssh-server"],
      runcmd: [["systemctl", "enable", "--now", "nginx"], "echo ok"],
      writeFiles: [{ path: "/etc/motd", content: "hello: world\n" }],
    };
    // WHEN rendered
    const text = renderCloudConfig({ hostname: "web-1", username: "ops", sshKeys: [SSH_KEY] }, data);
    // THEN it is a cloud-config whose parsed values are exactly the inputs
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(text);
    expect(doc.users).toEqual([{ name: "ops", shell: "/bin/bash", sudo: "ALL=(ALL) NOPASSWD:ALL", lock_passwd: true, ssh_authorized_keys: [SSH_KEY] }]);
    expect(doc.ssh_pwauth).toBe(false);
    expect(doc.disable_root).toBe(true);
    expect(doc.packages).toEqual(["openssh-server", "nginx"]);
    expect(doc.runcmd).toEqual([["systemctl", "enable", "--now", "nginx"], "echo ok"]);
    expect(doc.write_files).toEqual([{ path: "/etc/motd", content: "hello: world\n", permissions: "0644", owner: "root:root" }]);
    expect(text).not.toMatch(/^\s*(- )?(password|passwd|hashed_passwd|plain_text_passwd|chpasswd):/m);
  });

  it("escapes Terraform interpolation and directives so user text stays literal", () => {
    // GIVEN a command with ${...} and %{...} WHEN synthesised
    const json = vmWith({ runcmd: ["echo ${HOME} %{if x}"] });
    // THEN the JSON carries $${ and %%{ (Terraform unescapes them to the literal text)
    const data: string = snippetOf(json).source_raw.data;
    expect(data).toContain("echo $${HOME} %%{if x}");
    expect(data).not.toMatch(/(^|[^$])\$\{/);
  });

  it.each([
    ["a password key", { password: "hunter2" } as unknown as CloudInitUserData, /userData\.password is refused — secrets never go into a cloud-init snippet/],
    ["a chpasswd key", { chpasswd: { list: "ops:x" } } as unknown as CloudInitUserData, /userData\.chpasswd is refused/],
    [
      "a hashed_passwd in a file entry",
      { writeFiles: [{ path: "/x", content: "", hashed_passwd: "$6$" }] } as unknown as CloudInitUserData,
      /writeFiles\[0\]\.hashed_passwd is refused/,
    ],
    [
      "a private key in a file",
      { writeFiles: [{ path: "/root/.ssh/id_ed25519", content: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n" }] },
      /holds a private key/,
    ],
    ["a relative path", { writeFiles: [{ path: "etc/motd", content: "x" }] }, /must be an absolute guest path/],
    ["a package with shell syntax", { packages: ["nginx; rm -rf /"] }, /is not a package name/],
  ])("refuses %s with a clear error", (_case, data, message) => {
    // GIVEN user data holding it WHEN the VM is built THEN construction fails naming the setting
    expect(() => vmWith(data)).toThrow(message);
  });

  it("refuses user data together with a cloud-init password", () => {
    // GIVEN a password allowed on the user and user data
    const { stack } = newStack();
    const pw = new TerraformVariable(stack, "pw", { type: "string", sensitive: true });
    // WHEN the VM is built THEN it fails: PVE would ignore the password and it must not reach a snippet
    expect(
      () =>
        new HardenedVm(stack, "web", {
          node: "pve1",
          name: "web-1",
          template: debianTemplate(stack),
          user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: pw.stringValue },
          userData: { packages: ["nginx"] },
        }),
    ).toThrow(/userData and user\.password cannot be combined/);
  });
});
