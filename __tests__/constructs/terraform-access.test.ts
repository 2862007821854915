import { TerraformStack, Testing } from "cdktf";
import { UserToken } from "../../.gen/providers/proxmox/user-token";
import { ClusterFirewall } from "../../constructs/cluster-firewall";
import { HardenedVm } from "../../constructs/hardened-vm";
import { TerraformAccess } from "../../constructs/terraform-access";
import { SSH_KEY, debianTemplate, newStack, synthJson } from "./fixtures";

function accessFor(build: (stack: TerraformStack) => void) {
  const { app, stack: env } = newStack("env");
  build(env);
  const admin = new TerraformStack(app, "admin");
  new TerraformAccess(admin, "tf", { manages: [env], tokenExpiry: "2099-03-01T00:00:00Z" });
  const json = synthJson(admin);
  const role = Object.values(json.resource.proxmox_virtual_environment_role)[0] as { privileges: string[] };
  return { json, role, admin };
}

describe("TerraformAccess", () => {
  it("derives only firewall privileges for a stack that only manages the cluster firewall", () => {
    const { role } = accessFor((env) => new ClusterFirewall(env, "fw"));
    expect(role.privileges).toEqual(["Sys.Audit", "Sys.Modify"]);
  });

  it("adds clone, guest-agent and template download privileges for cloned hardened VMs", () => {
    const { role } = accessFor((env) => {
      const t = debianTemplate(env);
      new HardenedVm(env, "web", { node: "pve1", name: "web-1", template: t, user: { sshKeys: [SSH_KEY] }, ipv4: { address: "10.0.0.5/24" } });
    });
    expect(role.privileges).toEqual(expect.arrayContaining(["VM.Clone", "VM.GuestAgent.Audit", "Datastore.AllocateTemplate", "VM.Config.Network"]));
    // (the cloud-init drive is a CD-ROM drive: qemu-server checks VM.Config.Cloudinit and VM.Config.CDROM)
    expect(role.privileges).toContain("VM.Config.CDROM");
    expect(role.privileges).not.toContain("Permissions.Modify");
    expect(role.privileges).toEqual([...role.privileges].sort());
  });

  it("gives a privilege-separated, expiring token and grants the role to user and token", () => {
    const { json, admin } = accessFor((env) => new ClusterFirewall(env, "fw"));
    expect(Testing.synth(admin)).toHaveResourceWithProperties(UserToken, {
      privileges_separation: true,
      expiration_date: "2099-03-01T00:00:00Z",
    });
    const acls = Object.values<Record<string, unknown>>(json.resource.proxmox_acl);
    expect(acls.map((a) => ("token_id" in a ? "token" : "user")).sort()).toEqual(["token", "user"]);
    expect(Object.values(json.output ?? {})[0]).toMatchObject({ sensitive: true });
  });

  it.each([
    ["a token without a valid expiry", { tokenExpiry: "never" }, /tokenExpiry "never" must be an ISO 8601 date-time/],
    ["a token expiry that is not a real date", { tokenExpiry: "2099-02-30T00:00:00Z" }, /tokenExpiry "2099-02-30T00:00:00Z" must be an ISO 8601 date-time/],
    ["a token expiry without a time zone", { tokenExpiry: "2099-03-01T00:00:00" }, /must be an ISO 8601 date-time with a time zone/],
    [
      "a token expiry in the past",
      { tokenExpiry: "2020-01-01T00:00:00Z" },
      /tokenExpiry 2020-01-01T00:00:00Z is in the past \(now is 20\d\d-.*choose a date in the future/,
    ],
    ["a token expiry of right now", { tokenExpiry: new Date(Date.now() - 1000).toISOString() }, /is in the past/],
    ["root as the Terraform user", { tokenExpiry: "2099-01-01T00:00:00Z", userId: "root@pam" }, /Terraform must not run as root/],
  ])("rejects %s", (_w, props, msg) => {
    const { stack } = newStack();
    expect(() => new TerraformAccess(stack, "tf", { manages: [stack], ...props })).toThrow(msg);
  });
});
