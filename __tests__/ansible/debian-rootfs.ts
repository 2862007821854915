import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../../io/atomic-write";
import { findDebianMirror } from "./apt-mirror";
import { runChecked, runCommand, tail } from "./run-command";

/** Packages the hardening roles manage or need to run (python3-apt for the apt module). */
export const ROOTFS_PACKAGES: readonly string[] = [
  "auditd",
  "fail2ban",
  "nftables",
  "openssh-server",
  "procps",
  "python3",
  "python3-apt",
  "python3-systemd",
  "sudo",
  "unattended-upgrades",
];

/** What a cached root was built from; a different recipe means a rebuild. */
export interface RootfsRecipe {
  readonly suite: string;
  readonly variant: string;
  readonly packages: readonly string[];
}

/** Options of {@link ensureDebianRootfs}. */
export interface EnsureRootfsOptions {
  /** Folder holding cached roots (git-ignored). */
  readonly cacheDir: string;
  /** Debian suite. @default "bookworm" */
  readonly suite?: string;
  /** Extra packages. @default ROOTFS_PACKAGES */
  readonly packages?: readonly string[];
  /** Mirror URL. @default the mirror apt on this machine uses for the suite */
  readonly mirror?: string;
}

const STAMP = "stamp.json";

/**
 * Returns the path of a cached Debian root built with debootstrap, building it first when the cache
 * is missing or was built from another recipe. The build goes to a temporary folder that is renamed
 * into place only when complete, so an interrupted build never leaves a half root behind.
 * Callers must not modify the returned root: copy it with {@link copyRootfs}.
 */
export async function ensureDebianRootfs(options: EnsureRootfsOptions): Promise<string> {
  const suite = options.suite ?? "bookworm";
  const recipe: RootfsRecipe = {
    suite,
    variant: "minbase",
    packages: [...(options.packages ?? ROOTFS_PACKAGES)].sort(),
  };
  const final = path.join(options.cacheDir, suite);
  if (stampMatches(final, recipe)) return path.join(final, "rootfs");

  return withLock(path.join(options.cacheDir, `${suite}.lock`), async () => {
    // Another process may have finished the build while we waited for the lock.
    if (stampMatches(final, recipe)) return path.join(final, "rootfs");
    await removeStale(options.cacheDir, suite);

    const building = path.join(options.cacheDir, `${suite}.tmp-${process.pid}`);
    const mirror = options.mirror ?? findDebianMirror(suite);
    fs.mkdirSync(building, { recursive: true });
    const result = await runCommand("debootstrap", [
      `--variant=${recipe.variant}`,
      `--include=${recipe.packages.join(",")}`,
      suite,
      path.join(building, "rootfs"),
      mirror,
    ]);
    if (result.status !== 0) {
      removeTree(building);
      throw new Error(
        `debootstrap of Debian ${suite} from ${mirror} failed (exit ${result.status}):\n${tail(result.stdout + result.stderr)}\n` +
          `Check that the mirror is reachable, or set PROXMOX_CDK_DEBIAN_MIRROR to another one.`,
      );
    }
    writeFileAtomic(path.join(building, STAMP), `${JSON.stringify({ ...recipe, mirror }, null, 2)}\n`);

    const previous = path.join(options.cacheDir, `${suite}.old-${process.pid}`);
    if (fs.existsSync(final)) fs.renameSync(final, previous);
    fs.renameSync(building, final);
    removeTree(previous);
    return path.join(final, "rootfs");
  });
}

/** Copies a cached root to `dest` (preserving owners, modes, links and device nodes). */
export async function copyRootfs(source: string, dest: string): Promise<void> {
  await runChecked("cp", ["-a", "--reflink=auto", source, dest]);
}

/**
 * Deletes a tree that once was a chroot. Refuses while anything is mounted below it: deleting through
 * a leftover /proc or /dev mount (an interrupted debootstrap) would reach the host.
 */
export function removeTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  const resolved = fs.realpathSync(dir);
  const mounts = mountsBelow(resolved);
  if (mounts.length > 0) {
    throw new Error(`Refusing to delete ${resolved}: ${mounts.join(", ")} still mounted below it. Run: umount -R ${mounts[0]}`);
  }
  fs.rmSync(resolved, { recursive: true, force: true });
}

/** Mount points at or below `dir`, deepest first. */
function mountsBelow(dir: string): string[] {
  return fs
    .readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
    .filter((mountPoint): mountPoint is string => !!mountPoint && (mountPoint + "/").startsWith(dir + "/"))
    .sort((a, b) => b.length - a.length);
}

function stampMatches(dir: string, recipe: RootfsRecipe): boolean {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(dir, STAMP), "utf8")) as RootfsRecipe;
    return (
      stamp.suite === recipe.suite &&
      stamp.variant === recipe.variant &&
      JSON.stringify(stamp.packages) === JSON.stringify(recipe.packages) &&
      fs.existsSync(path.join(dir, "rootfs", "usr", "bin", "python3"))
    );
  } catch {
    return false;
  }
}

/** Removes leftovers of builds whose process is gone (killed, machine restarted). */
async function removeStale(cacheDir: string, suite: string): Promise<void> {
  for (const name of fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []) {
    const match = new RegExp(`^${suite}\\.(tmp|old)-(\\d+)$`).exec(name);
    if (!match || processAlive(Number(match[2]))) continue;
    // A debootstrap killed without running its exit trap leaves /proc (and maybe /sys) mounted in
    // its target. These folders are ours, so detach those mounts before deleting.
    const dir = fs.realpathSync(path.join(cacheDir, name));
    for (const mountPoint of mountsBelow(dir)) await runChecked("umount", ["--lazy", mountPoint]);
    removeTree(dir);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A mkdir lock holding the owner's pid, so a lock left by a dead process is taken over. */
async function withLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (lockAbandoned(lockDir)) fs.rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await body();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** The owner died, or died between creating the lock and writing its pid (a minute is ample for that). */
function lockAbandoned(lockDir: string): boolean {
  try {
    const owner = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8"));
    if (owner > 0) return !processAlive(owner);
  } catch {
    // no pid file yet
  }
  try {
    return Date.now() - fs.statSync(lockDir).mtimeMs > 60_000;
  } catch {
    return false; // the lock vanished meanwhile: the next mkdir decides
  }
}
