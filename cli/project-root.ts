import * as fs from "fs";
import * as path from "path";

/**
 * The project the CLI works on: the nearest folder upwards from the current directory that holds
 * `environments/` or `cdktf.json`.
 */
export function projectRoot(start = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, "environments")) || fs.existsSync(path.join(dir, "cdktf.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/**
 * The repository that holds the project: the nearest folder upwards from `projectDir` with a
 * `.git` entry, else the project itself. Code scanning wants file paths relative to it.
 */
export function repositoryRoot(projectDir: string): string {
  let dir = path.resolve(projectDir);
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(projectDir);
    dir = parent;
  }
}
