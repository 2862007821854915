import * as fs from "fs";
import * as path from "path";

/**
 * Construct path by resource address (`proxmox_virtual_environment_vm.tier-web_web-1_vm_5213BF9D`
 * → `dev/tier-web/web-1/vm`), read from the `"//": { "metadata": { "path": … } }` entry cdktf
 * writes on every resource and data source of a synthesised `cdk.tf.json`. Entries without a
 * string path are left out.
 */
export function constructPathsOf(cdkTfJson: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const doc = isObject(cdkTfJson) ? cdkTfJson : {};
  for (const [block, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    const types = isObject(doc[block]) ? doc[block] : {};
    for (const [type, resources] of Object.entries(types)) {
      if (!isObject(resources)) continue;
      for (const [name, body] of Object.entries(resources)) {
        const comment = isObject(body) ? body["//"] : undefined;
        const metadata = isObject(comment) ? comment.metadata : undefined;
        const p = isObject(metadata) ? metadata.path : undefined;
        if (typeof p === "string" && p !== "") out.set(`${prefix}${type}.${name}`, p);
      }
    }
  }
  return out;
}

/** {@link constructPathsOf} of `<workdir>/cdk.tf.json` (a stack's Terraform working directory). */
export function readConstructPaths(workdir: string): Map<string, string> {
  const file = path.join(workdir, "cdk.tf.json");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read the synthesised configuration (${(e as Error).message}) — synthesise the stack first.`);
  }
  try {
    return constructPathsOf(JSON.parse(text));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}) — synthesise the stack again.`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
