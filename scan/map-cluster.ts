import { MappedResource } from "./map-firewall";
import { LiveSnapshot } from "./live-snapshot";
import { defined, parseProperties, pveBool, pveInt, pveText } from "./pve-properties";

/** ACL entries (`GET /access/acl`) as `proxmox_virtual_environment_acl` (user, group or token). */
export function aclResources(snapshot: LiveSnapshot): MappedResource[] {
  return snapshot.acl.map((a, i) => {
    const who = pveText(a.ugid);
    const kind = a.type === "group" ? "group_id" : a.type === "token" ? "token_id" : "user_id";
    return {
      id: `acl-${i + 1}`,
      type: "proxmox_virtual_environment_acl",
      attributes: defined({ path: pveText(a.path), role_id: pveText(a.roleid), [kind]: who, propagate: pveBool(a.propagate) ?? true }),
    };
  });
}

/**
 * API tokens of `GET /access/users?full=1` as `proxmox_virtual_environment_user_token`: listed by
 * id only (PVE never returns a secret here). `expire` 0 or absent means no expiration date;
 * `privsep` absent means separated (pve-access-control's default for new tokens).
 */
export function tokenResources(snapshot: LiveSnapshot): MappedResource[] {
  return snapshot.users.flatMap((u) => {
    const user = pveText(u.userid) ?? "";
    const tokens = Array.isArray(u.tokens) ? (u.tokens as Record<string, unknown>[]) : [];
    return tokens.map((t) => {
      const expire = pveInt(t.expire) ?? 0;
      return {
        id: `token-${user}!${String(t.tokenid)}`,
        type: "proxmox_virtual_environment_user_token",
        attributes: defined({
          user_id: user,
          token_name: pveText(t.tokenid),
          comment: pveText(t.comment),
          privileges_separation: pveBool(t.privsep) ?? true,
          expiration_date: expire > 0 ? new Date(expire * 1000).toISOString().replace(/\.000Z$/, "Z") : undefined,
        }),
      };
    });
  });
}

/** Custom roles (`GET /access/roles`, `special` not set) as `proxmox_virtual_environment_role`; built-in roles are PVE's, not the cluster's choice. */
export function roleResources(snapshot: LiveSnapshot): MappedResource[] {
  return snapshot.roles
    .filter((r) => pveBool(r.special) !== true)
    .map((r) => ({
      id: `role-${String(r.roleid)}`,
      type: "proxmox_virtual_environment_role",
      attributes: {
        role_id: pveText(r.roleid),
        privileges: (pveText(r.privs) ?? "")
          .split(",")
          .filter((p) => p !== "")
          .sort(),
      },
    }));
}

/**
 * Backup jobs (`GET /cluster/backup`) as `proxmox_backup_job`: `enabled` absent means on
 * (pve-manager's vzdump job default), `prune-backups` as the provider's map.
 */
export function backupJobResources(snapshot: LiveSnapshot): MappedResource[] {
  return snapshot.backupJobs.map((j) => {
    const prune = j["prune-backups"] === undefined ? undefined : parseProperties(j["prune-backups"]);
    return {
      id: `backup-${String(j.id)}`,
      type: "proxmox_backup_job",
      attributes: defined({
        id: pveText(j.id),
        enabled: pveBool(j.enabled) ?? true,
        all: pveBool(j.all) ?? false,
        vmid: pveText(j.vmid),
        pool: pveText(j.pool),
        node: pveText(j.node),
        storage: pveText(j.storage),
        schedule: pveText(j.schedule),
        prune_backups: prune,
        maxfiles: pveInt(j.maxfiles),
      }),
    };
  });
}

/** HA resources (`GET /cluster/ha/resources`) as `proxmox_virtual_environment_haresource`; `state` absent means started. */
export function haResources(snapshot: LiveSnapshot): MappedResource[] {
  return snapshot.haResources.map((h) => ({
    id: `ha-${String(h.sid)}`,
    type: "proxmox_virtual_environment_haresource",
    attributes: defined({ resource_id: pveText(h.sid), state: pveText(h.state) ?? "started", group: pveText(h.group), comment: pveText(h.comment) }),
  }));
}
