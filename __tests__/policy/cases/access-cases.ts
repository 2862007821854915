import { TerraformOutput, TerraformVariable } from "cdktf";
import { Acl } from "../../../.gen/providers/proxmox/acl";
import { UserToken } from "../../../.gen/providers/proxmox/user-token";
import { VirtualEnvironmentRole } from "../../../.gen/providers/proxmox/virtual-environment-role";
import { VirtualEnvironmentUser } from "../../../.gen/providers/proxmox/virtual-environment-user";
import { VirtualEnvironmentUserToken } from "../../../.gen/providers/proxmox/virtual-environment-user-token";
import { TerraformAccess } from "../../../constructs/terraform-access";
import { suppress } from "../../../policy/suppress";
import { hardenedVm, rawVm, RuleCase, SSH_KEY } from "../policy-fixtures";

// Far ahead: TerraformAccess refuses an expiry in the past, measured against the real clock.
const EXPIRY = "2099-03-01T00:00:00Z";

export const ACCESS_CASES: readonly RuleCase[] = [
  {
    ruleId: "PVE-IAM-001",
    bad: {
      "TerraformAccess with Permissions.Modify as an extra privilege": (s) =>
        new TerraformAccess(s, "tf", { manages: [s], tokenExpiry: EXPIRY, extraPrivileges: ["Permissions.Modify"] }),
      "a raw role with Sys.Modify and Realm.AllocateUser": (s) =>
        new VirtualEnvironmentRole(s, "role", { roleId: "Ops", privileges: ["Realm.AllocateUser", "Sys.Audit", "Sys.Modify"] }),
    },
    good: (s) => {
      hardenedVm(s, "web");
      new TerraformAccess(s, "tf", { manages: [s], tokenExpiry: EXPIRY });
    },
  },
  {
    ruleId: "PVE-IAM-002",
    bad: {
      "an ACL granting Administrator to a token": (s) => new Acl(s, "acl", { path: "/", roleId: "Administrator", tokenId: "terraform@pve!cdk" }),
      "a user whose acl block grants Administrator": (s) =>
        new VirtualEnvironmentUser(s, "u", { userId: "ops@pve", acl: [{ path: "/", roleId: "Administrator", propagate: true }] }),
    },
    good: (s) => new TerraformAccess(s, "tf", { manages: [s], tokenExpiry: EXPIRY }),
  },
  {
    ruleId: "PVE-IAM-003",
    bad: {
      "a token without privilege separation": (s) =>
        new VirtualEnvironmentUserToken(s, "t", { userId: "terraform@pve", tokenName: "cdk", privilegesSeparation: false, expirationDate: EXPIRY }),
    },
    good: (s) => {
      new TerraformAccess(s, "tf", { manages: [s], tokenExpiry: EXPIRY });
      new UserToken(s, "t", { userId: "ci@pve", tokenName: "ci", expirationDate: EXPIRY });
    },
  },
  {
    ruleId: "PVE-IAM-004",
    bad: { "a token without expiration_date": (s) => new UserToken(s, "t", { userId: "terraform@pve", tokenName: "cdk" }) },
    good: (s) => new TerraformAccess(s, "tf", { manages: [s], tokenExpiry: EXPIRY }),
  },
  {
    ruleId: "PVE-SEC-001",
    bad: {
      "db_password not sensitive": (s) => new TerraformVariable(s, "db_password", { type: "string" }),
      "adminApiToken not sensitive": (s) => new TerraformVariable(s, "adminApiToken", { type: "string" }),
    },
    good: (s) => {
      new TerraformVariable(s, "db_password", { type: "string", sensitive: true });
      new TerraformVariable(s, "token_expiry", { type: "string" });
      new TerraformVariable(s, "ssh_public_key", { type: "string" });
    },
  },
  {
    ruleId: "PVE-SEC-002",
    bad: {
      "an output of a token value": (s) => {
        const t = new UserToken(s, "t", { userId: "ci@pve", tokenName: "ci", expirationDate: EXPIRY });
        new TerraformOutput(s, "token", { value: t.value });
      },
      "an output of a secret variable": (s) => {
        const v = new TerraformVariable(s, "db_password", { type: "string", sensitive: true });
        new TerraformOutput(s, "pw", { value: v.stringValue });
      },
    },
    good: (s) => {
      new TerraformAccess(s, "tf", { manages: [s], tokenExpiry: EXPIRY });
      new TerraformOutput(s, "ip", { value: hardenedVm(s, "web").ipv4Address });
    },
  },
  {
    ruleId: "PVE-SEC-003",
    bad: {
      "a literal cloud-init password on a raw VM": (s) =>
        rawVm(s, "raw", { initialization: { userAccount: { username: "ops", keys: [SSH_KEY], password: "hunter2hunter2" } } }),
      "a literal password of a PVE user": (s) => new VirtualEnvironmentUser(s, "u", { userId: "ops@pve", password: "Sommer2026!" }),
    },
    good: (s) => {
      const pw = new TerraformVariable(s, "console_password", { type: "string", sensitive: true });
      hardenedVm(s, "web", { user: { sshKeys: [SSH_KEY], allowPasswordLogin: true, password: pw.stringValue } });
    },
  },
  {
    ruleId: "PVE-SUP-001",
    options: { now: new Date("2026-12-01T00:00:00Z") },
    bad: {
      "a suppression that expired yesterday": (s) =>
        suppress(hardenedVm(s, "web", { firewall: { macFilter: false } }), "PVE-FW-009", {
          reason: "legacy DHCP relay needs MAC spoofing",
          expires: "2026-11-30",
        }),
    },
    good: (s) =>
      suppress(hardenedVm(s, "web", { firewall: { macFilter: false } }), "PVE-FW-009", {
        reason: "legacy DHCP relay needs MAC spoofing",
        expires: "2026-12-01",
      }),
  },
];
