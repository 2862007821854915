// Container OS types: no provider bindings here, so the environment spec can use them on a fresh clone.

/**
 * The OS types PVE sets a container up for (pve-container `ostype`: the lxc setup scripts
 * `/usr/share/lxc/config/<ostype>.common.conf`), as bpg/proxmox accepts them. `unmanaged` is left
 * out on purpose: PVE then skips the setup inside the container, so the root SSH keys, hostname and
 * network configuration would never be written.
 */
export const CONTAINER_OS_TYPES = ["alpine", "archlinux", "centos", "debian", "devuan", "fedora", "gentoo", "nixos", "opensuse", "ubuntu"] as const;

/** An OS type of {@link CONTAINER_OS_TYPES}. */
export type ContainerOsType = (typeof CONTAINER_OS_TYPES)[number];

/**
 * The OS type a template file name names by its first segment, as PVE's template index names its
 * files (`debian-12-standard_12.7-1_amd64.tar.zst` → `debian`), or undefined.
 */
export function osTypeOfFileName(fileName: string): ContainerOsType | undefined {
  const first = /^([a-z]+)[-_]/.exec(fileName)?.[1];
  return CONTAINER_OS_TYPES.find((t) => t === first);
}
