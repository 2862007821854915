import { Annotations, Lazy, TerraformOutput, TerraformResource } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { Acl } from "../.gen/providers/proxmox/acl";
import { VirtualEnvironmentRole } from "../.gen/providers/proxmox/virtual-environment-role";
import { VirtualEnvironmentUser } from "../.gen/providers/proxmox/virtual-environment-user";
import { UserToken } from "../.gen/providers/proxmox/user-token";
import { minimalPrivileges, privilegesFor } from "./terraform-privileges";
import { literalText } from "./literal-text";

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A token expiry must be a real RFC 3339 date-time with a zone (what the provider sends to PVE) and
 * lie in the future: a token that is already expired would be created dead, and Terraform would
 * lose access on its first run. Checked at construction, i.e. on every synth.
 */
function checkTokenExpiry(owner: string, expiry: string): void {
  const m = RFC3339.exec(expiry);
  const time = Date.parse(expiry);
  // Date.parse rolls 2027-02-30 over to March; a date that does not round-trip is not a date.
  const real = m !== null && !Number.isNaN(time) && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}`;
  if (!real || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) {
    throw new Error(`${owner}: tokenExpiry ${JSON.stringify(expiry)} must be an ISO 8601 date-time with a time zone, such as 2027-03-01T00:00:00Z.`);
  }
  if (time <= Date.now()) {
    throw new Error(
      `${owner}: tokenExpiry ${expiry} is in the past (now is ${new Date().toISOString().replace(/\.\d{3}Z$/, "Z")}); a token created already expired is useless — choose a date in the future, e.g. 90 days ahead.`,
    );
  }
}

/** Props of {@link TerraformAccess}. */
export interface TerraformAccessProps {
  /** Scopes (stacks, constructs) whose resources the token must be able to manage. */
  readonly manages: readonly IConstruct[];
  /** Token expiry date (ISO 8601 with a time zone, e.g. `2027-03-01T00:00:00Z`), in the future; tokens without expiry are refused. */
  readonly tokenExpiry: string;
  /** PVE user for Terraform. @default "terraform@pve" */
  readonly userId?: string;
  /** Role id. @default "ProxmoxCdkTerraform" */
  readonly roleId?: string;
  /** Token name. @default "cdk" */
  readonly tokenName?: string;
  /** Privileges added to the derived ones (each is reported by the policy pack). @default [] */
  readonly extraPrivileges?: readonly string[];
}

/**
 * A least-privilege identity for Terraform: a role whose privileges are derived from the resources
 * in `manages`, a user, a privilege-separated API token with an expiry, and ACLs granting the role
 * to both (a privsep token's rights are the intersection of its own ACLs and its user's). The token
 * is output as a sensitive value: `PROXMOX_VE_API_TOKEN` for the environment's runs.
 */
export class TerraformAccess extends Construct {
  /** The token value output (sensitive). */
  readonly tokenOutput: TerraformOutput;
  /** The role. */
  readonly role: VirtualEnvironmentRole;

  constructor(scope: Construct, id: string, props: TerraformAccessProps) {
    super(scope, id);
    const owner = `TerraformAccess "${id}"`;
    const userId = props.userId ?? "terraform@pve";
    if (!/^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/.test(userId)) {
      throw new Error(`${owner}: userId "${userId}" must look like name@realm (e.g. terraform@pve).`);
    }
    if (userId.startsWith("root@")) throw new Error(`${owner}: userId "${userId}" is root — Terraform must not run as root.`);
    checkTokenExpiry(owner, props.tokenExpiry);
    this.role = new VirtualEnvironmentRole(
      this,
      "role",
      literalText({
        roleId: props.roleId ?? "ProxmoxCdkTerraform",
        privileges: Lazy.listValue({ produce: () => this.derivePrivileges(props) }),
      }),
    );
    const user = new VirtualEnvironmentUser(
      this,
      "user",
      literalText({
        userId,
        enabled: true,
        comment: "Terraform (proxmox-cdk), least privilege",
      }),
    );
    const token = new UserToken(
      this,
      "token",
      literalText({
        userId: user.userId,
        tokenName: props.tokenName ?? "cdk",
        privilegesSeparation: true,
        expirationDate: props.tokenExpiry,
        comment: "proxmox-cdk Terraform runs",
      }),
    );
    new Acl(this, "user-acl", literalText({ path: "/", roleId: this.role.roleId, userId: user.userId, propagate: true }));
    new Acl(this, "token-acl", literalText({ path: "/", roleId: this.role.roleId, tokenId: token.id, propagate: true }));
    this.tokenOutput = new TerraformOutput(
      this,
      "api-token",
      literalText({
        value: token.value,
        sensitive: true,
        description: "PROXMOX_VE_API_TOKEN for the managed environment (user@realm!token=secret)",
      }),
    );
  }

  /**
   * The privileges of the role: the union over every managed resource, without those an
   * alternative in the union already allows ({@link minimalPrivileges}), plus `extraPrivileges`; sorted.
   */
  derivePrivileges(props: Pick<TerraformAccessProps, "manages" | "extraPrivileges">): string[] {
    const privs = new Set<string>();
    for (const scope of props.manages) {
      for (const c of scope.node.findAll()) {
        if (!(c instanceof TerraformResource) || c.node.scopes.includes(this)) continue;
        const needed = privilegesFor(c);
        if (!needed) {
          Annotations.of(this).addWarning(`${c.node.path}: no privilege mapping for ${c.terraformResourceType}; add its privileges with extraPrivileges.`);
          continue;
        }
        needed.forEach((p) => privs.add(p));
      }
    }
    return [...new Set([...minimalPrivileges(privs), ...(props.extraPrivileges ?? [])])].sort();
  }
}
