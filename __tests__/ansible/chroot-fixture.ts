import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installAnsibleDeps, REPO_ROOT } from "./ansible-cli";
import { copyRootfs, ensureDebianRootfs, removeTree } from "./debian-rootfs";
import { CommandResult, runCommand } from "./run-command";

/** Where debootstrapped roots are cached between runs (git-ignored). */
export const ROOTFS_CACHE_DIR = path.join(REPO_ROOT, ".cache", "debian-rootfs");

/** Name of the single inventory host that stands for the chroot. */
export const CHROOT_HOST = "debian-root";

/** A private copy of the cached Debian root, reachable by Ansible through the chroot connection. */
export interface ChrootHost {
  /** Scratch folder holding the root and the inventory; removed by {@link disposeChrootHost}. */
  readonly workDir: string;
  /** The Debian root. */
  readonly root: string;
  /** Inventory file with one host using community.general.chroot. */
  readonly inventory: string;
  /** Runs a program inside the root. */
  chroot(args: readonly string[]): Promise<CommandResult>;
  /** Reads a file of the root. */
  read(file: string): string;
  /** Writes a JSON extra-vars file into the work folder and returns the `-e @file` arguments. */
  extraVars(name: string, vars: Record<string, unknown>): string[];
}

/**
 * Installs the test dependencies, makes sure the cached Debian root exists (debootstrap on first use)
 * and returns a private copy of it with an inventory whose host vars are `hostVars`. Ansible runs as
 * root through the chroot connection, so this must run as root.
 */
export async function createChrootHost(hostVars: Record<string, unknown>): Promise<ChrootHost> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `The Ansible chroot tests run as root (chroot and debootstrap need it); this process runs as uid ${process.getuid?.()}. ` +
        `Run them as root, e.g. sudo npx jest __tests__/ansible.`,
    );
  }
  await installAnsibleDeps();
  const cached = await ensureDebianRootfs({ cacheDir: ROOTFS_CACHE_DIR });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ansible-chroot-"));
  const root = path.join(workDir, "rootfs");
  await copyRootfs(cached, root);

  const inventory = path.join(workDir, "inventory.json");
  const host = {
    ansible_connection: "community.general.chroot",
    ansible_host: root,
    // A chroot has no init system: write configuration, start nothing.
    hardening_manage_services: false,
    ...hostVars,
  };
  fs.writeFileSync(inventory, JSON.stringify({ all: { hosts: { [CHROOT_HOST]: host } } }, null, 2));

  return {
    workDir,
    root,
    inventory,
    chroot: (args) => runCommand("chroot", [root, ...args]),
    read: (file) => fs.readFileSync(path.join(root, file), "utf8"),
    extraVars: (name, vars) => {
      const file = path.join(workDir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(vars));
      return ["-e", `@${file}`];
    },
  };
}

/** Deletes the copy (refusing if anything is still mounted inside it). */
export function disposeChrootHost(host: ChrootHost | undefined): void {
  if (host) removeTree(host.workDir);
}
