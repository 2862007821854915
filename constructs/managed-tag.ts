/** The tag every guest and template of this library carries in PVE: how `proxmox-cdk scan` recognises managed guests. */
export const MANAGED_TAG = "proxmox-cdk";
