/**
 * PVE's built-in roles, rebuilt the way pve-access-control builds them: privileges are grouped per
 * category into root / admin / user / audit, and the `PVE<Category>Admin`, `PVE<Category>User`,
 * `PVEAdmin` and `PVEAuditor` roles are unions of those groups. The privilege list is the one of
 * the PVE 9.1 API schema (`GET /access/roles/{roleid}` returns).
 */
interface PrivilegeGroups {
  readonly root: readonly string[];
  readonly admin: readonly string[];
  readonly user: readonly string[];
  readonly audit: readonly string[];
}

const CATEGORIES: Readonly<Record<string, PrivilegeGroups>> = {
  VM: {
    root: [],
    admin: [
      "VM.Config.Disk",
      "VM.Config.CPU",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.HWType",
      "VM.Config.Options",
      "VM.Allocate",
      "VM.Clone",
      "VM.Migrate",
      "VM.Replicate",
      "VM.Snapshot",
      "VM.Snapshot.Rollback",
      "VM.GuestAgent.FileRead",
      "VM.GuestAgent.FileWrite",
      "VM.GuestAgent.FileSystemMgmt",
      "VM.GuestAgent.Unrestricted",
    ],
    user: ["VM.Config.CDROM", "VM.Config.Cloudinit", "VM.Console", "VM.Backup", "VM.PowerMgmt", "VM.GuestAgent.Audit"],
    audit: ["VM.Audit"],
  },
  Sys: {
    root: ["Sys.PowerMgmt", "Sys.Modify", "Sys.Incoming", "Sys.AccessNetwork"],
    admin: ["Sys.Console", "Sys.Syslog"],
    user: [],
    audit: ["Sys.Audit"],
  },
  Datastore: {
    root: [],
    admin: ["Datastore.Allocate", "Datastore.AllocateTemplate"],
    user: ["Datastore.AllocateSpace"],
    audit: ["Datastore.Audit"],
  },
  SDN: { root: [], admin: ["SDN.Allocate", "SDN.Audit"], user: ["SDN.Use"], audit: ["SDN.Audit"] },
  User: { root: ["Realm.Allocate"], admin: ["User.Modify", "Group.Allocate", "Realm.AllocateUser"], user: [], audit: [] },
  Pool: { root: [], admin: ["Pool.Allocate"], user: [], audit: ["Pool.Audit"] },
  Mapping: { root: [], admin: ["Mapping.Modify"], user: ["Mapping.Use"], audit: ["Mapping.Audit"] },
};

/** Every privilege PVE 9.1 knows; anything else is rejected with `invalid privilege`. */
export const ALL_PRIVILEGES: readonly string[] = [
  "Permissions.Modify",
  ...new Set(Object.values(CATEGORIES).flatMap((c) => [...c.root, ...c.admin, ...c.user, ...c.audit])),
].sort();

const VALID = new Set(ALL_PRIVILEGES);

/** True when `priv` is a privilege PVE knows. */
export function isPrivilege(priv: string): boolean {
  return VALID.has(priv);
}

function buildRoles(): Record<string, readonly string[]> {
  const roles: Record<string, Set<string>> = {
    Administrator: new Set(ALL_PRIVILEGES),
    NoAccess: new Set(),
    PVEAdmin: new Set(),
    PVEAuditor: new Set(),
    PVETemplateUser: new Set(["VM.Clone", "VM.Audit"]),
    PVEPoolUser: new Set(["Pool.Audit"]),
  };
  for (const [cat, g] of Object.entries(CATEGORIES)) {
    const admin = (roles[`PVE${cat}Admin`] ??= new Set());
    for (const p of [...g.admin, ...g.user, ...g.audit]) {
      admin.add(p);
      roles.PVEAdmin.add(p);
    }
    if (g.user.length > 0) roles[`PVE${cat}User`] = new Set([...g.user, ...g.audit]);
    for (const p of g.audit) roles.PVEAuditor.add(p);
  }
  return Object.fromEntries(Object.entries(roles).map(([k, v]) => [k, [...v].sort()]));
}

/** The predefined ("special") roles and their privileges; they cannot be changed or deleted. */
export const BUILTIN_ROLES: Readonly<Record<string, readonly string[]>> = buildRoles();
