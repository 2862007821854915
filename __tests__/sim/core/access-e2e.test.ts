import type { TerraformStack } from "cdktf";
import { VirtualEnvironmentAcl } from "../../../.gen/providers/proxmox/virtual-environment-acl";
import { VirtualEnvironmentRole } from "../../../.gen/providers/proxmox/virtual-environment-role";
import { VirtualEnvironmentUser } from "../../../.gen/providers/proxmox/virtual-environment-user";
import { VirtualEnvironmentUserToken } from "../../../.gen/providers/proxmox/virtual-environment-user-token";
import { AccessState, accessState } from "../../../sim/access-model";
import { providerStack } from "../../e2e/harness/provider-stack";
import { simulatorSuite } from "../../e2e/harness/simulator-suite";
import type { TerraformWorkdir } from "../../e2e/harness/terraform-workdir";

jest.setTimeout(600_000);

interface Variant {
  readonly privileges: string[];
  readonly userComment: string;
  readonly tokenComment: string;
  readonly propagate: boolean;
}

/** A role, a user with a privilege-separated token, and an ACL giving the token the role on /vms. */
function accessStack(v: Variant): TerraformStack {
  const stack = providerStack("sim-access");
  const role = new VirtualEnvironmentRole(stack, "role", { roleId: "CiDeployer", privileges: v.privileges });
  const user = new VirtualEnvironmentUser(stack, "user", { userId: "ci@pve", comment: v.userComment, email: "ci@example.com" });
  const token = new VirtualEnvironmentUserToken(stack, "token", {
    userId: user.userId,
    tokenName: "deploy",
    comment: v.tokenComment,
    privilegesSeparation: true,
  });
  new VirtualEnvironmentAcl(stack, "acl", { path: "/vms", roleId: role.roleId, tokenId: token.id, propagate: v.propagate });
  return stack;
}

describe("simulator access family with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite();
  let wd: TerraformWorkdir;
  const access = (): AccessState => accessState(suite.sim.state);

  it("applies role, user, token and ACL, re-plans empty, updates in place and destroys", async () => {
    // GIVEN a stack with the four access resources
    const first: Variant = { privileges: ["VM.Audit", "VM.PowerMgmt"], userComment: "ci robot", tokenComment: "deploys", propagate: true };
    wd = await suite.workdir(accessStack(first));

    // WHEN it is applied
    await wd.apply();

    // THEN the simulator holds exactly what was declared
    expect(access().roles.CiDeployer).toEqual(["VM.Audit", "VM.PowerMgmt"]);
    expect(access().users["ci@pve"]).toMatchObject({ comment: "ci robot", email: "ci@example.com", enable: 1 });
    expect(access().users["ci@pve"].tokens.deploy).toMatchObject({ comment: "deploys", privsep: 1 });
    expect(access().acl).toEqual([{ path: "/vms", type: "token", ugid: "ci@pve!deploy", roleid: "CiDeployer", propagate: 1 }]);
    // AND the token value terraform recorded authenticates against the simulator
    const show = await wd.showJson();
    const tokenValue = show.values.root_module.resources.find((r: { address: string }) => r.address.endsWith(".token")).values.value as string;
    expect(tokenValue).toMatch(/^ci@pve!deploy=[0-9a-f-]{36}$/);
    // AND a second plan finds nothing to change
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN role privileges, comments and the ACL's propagate flag change
    const second: Variant = { privileges: ["VM.Audit", "VM.Console"], userComment: "ci robot v2", tokenComment: "deploys v2", propagate: false };
    wd.write(accessStack(second));
    expect((await wd.plan()).exitCode).toBe(2);
    await wd.apply();

    // THEN the same objects are updated
    expect(access().roles.CiDeployer).toEqual(["VM.Audit", "VM.Console"]);
    expect(access().users["ci@pve"].comment).toBe("ci robot v2");
    expect(access().users["ci@pve"].tokens.deploy.comment).toBe("deploys v2");
    expect(access().acl).toEqual([{ path: "/vms", type: "token", ugid: "ci@pve!deploy", roleid: "CiDeployer", propagate: 0 }]);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN the stack is destroyed
    await wd.destroy();

    // THEN nothing of it is left
    expect(access().roles.CiDeployer).toBeUndefined();
    expect(access().users["ci@pve"]).toBeUndefined();
    expect(access().acl).toEqual([]);
    expect(await wd.stateList()).toEqual([]);
  });
});
