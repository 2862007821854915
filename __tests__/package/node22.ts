import * as fs from "fs";
import * as path from "path";
import { root, run } from "./consumer-project";

/** Where the Node 22 binary for the cdktn leg is installed (the `node` npm package; not in git). */
export const NODE22_DIR = path.join(root, ".cache", "node22");

/**
 * A Node.js 22 binary: the machine's own when it is 22, else the one the `node` npm package
 * (`node@22`) provides, installed once into .cache/node22 through the npm registry and reused while
 * it still answers 22. Throws, with npm's output, when it cannot be had: the cdktn leg never skips.
 */
export function node22(): string {
  if (process.versions.node.split(".")[0] === "22") return process.execPath;
  const binary = path.join(NODE22_DIR, "node_modules", "node", "bin", "node");
  if (answers22(binary)) return binary;
  fs.mkdirSync(NODE22_DIR, { recursive: true });
  if (!fs.existsSync(path.join(NODE22_DIR, "package.json")))
    fs.writeFileSync(path.join(NODE22_DIR, "package.json"), JSON.stringify({ name: "node22", private: true }));
  try {
    run("npm", ["install", "--no-audit", "--no-fund", "--no-save", "node@22"], NODE22_DIR);
  } catch (e) {
    throw new Error(`The cdktn leg needs Node 22 and could not install it with npm (node@22 into ${NODE22_DIR}): ${(e as Error).message}`);
  }
  if (!answers22(binary)) throw new Error(`The cdktn leg needs Node 22: npm installed node@22 into ${NODE22_DIR}, but ${binary} does not answer v22`);
  return binary;
}

function answers22(binary: string): boolean {
  if (!fs.existsSync(binary)) return false;
  try {
    return /^v22\./.test(run(binary, ["-v"], NODE22_DIR).trim());
  } catch {
    return false;
  }
}
