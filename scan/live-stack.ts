import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { escapeTemplateText } from "../constructs/literal-text";
import { PreparedConfigs } from "../policy/policy-resource";
import { LiveSnapshot } from "./live-snapshot";
import { aclResources, backupJobResources, haResources, roleResources, tokenResources } from "./map-cluster";
import { firewallResources, MappedResource, securityGroupResource } from "./map-firewall";
import { lxcToContainer } from "./map-lxc";
import { storageResources } from "./map-storage";
import { qemuToVm } from "./map-qemu";
import { pveTags, pveText } from "./pve-properties";

/** Id of the stack that holds the live configuration: finding paths start with it. */
export const LIVE_STACK_ID = "pve";

/** A guest of the live stack: where its findings are reported. */
export interface LiveGuestEntry {
  readonly type: "qemu" | "lxc";
  readonly node: string;
  readonly vmid: number;
  readonly name?: string;
  readonly tags: readonly string[];
  /** Construct path every finding about the guest starts with, e.g. `pve/nodes/pve1/qemu/100`. */
  readonly path: string;
}

/** The live configuration as a stack the policy judges, with the configuration of each resource already resolved. */
export interface LiveStack {
  readonly stack: TerraformStack;
  /** What the policy reads for each element instead of resolving it (no token in live text is ever resolved). */
  readonly prepared: PreparedConfigs;
  readonly guests: readonly LiveGuestEntry[];
}

/**
 * A provider resource holding live configuration. Its attributes are data read from PVE: every
 * string carries Terraform's template escapes (`$${`, `%%{`), so a `${…}` in a VM's description is
 * literal text to the policy, never an expression and never a cdktf token.
 */
class LiveResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    type: string,
    private readonly attributes: Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: type });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}

/**
 * Maps a snapshot to the provider resources bpg/proxmox would hold for it (one mapper per API
 * area: map-qemu, map-lxc, map-firewall, map-cluster, map-storage), in a stack of its own under
 * `pve/nodes/<node>/<qemu|lxc>/<vmid>/…`, `pve/cluster/…` and `pve/access/…`: the same rules
 * then judge a running cluster and a synthesised one.
 */
export function buildLiveStack(snapshot: LiveSnapshot): LiveStack {
  // cdktf's App creates its output folder at construction; the live stack is never synthesised,
  // so a private folder is made and removed at once.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "proxmox-cdk-scan-"));
  const app = new App({ outdir, skipValidation: true });
  fs.rmSync(outdir, { recursive: true, force: true });
  const stack = new TerraformStack(app, LIVE_STACK_ID);
  const prepared = new Map<TerraformElement, unknown>();
  const names = new Set<string>();
  const scopes = new Map<string, Construct>();
  const scopeAt = (segments: readonly string[]): Construct => {
    let current: Construct = stack;
    let key = "";
    for (const segment of segments) {
      key += `/${segment}`;
      let next = scopes.get(key);
      if (!next) {
        next = new Construct(current, segment);
        scopes.set(key, next);
      }
      current = next;
    }
    return current;
  };
  const add = (segments: readonly string[], r: MappedResource): void => {
    const attributes = escaped(r.attributes) as Record<string, unknown>;
    const resource = new LiveResource(scopeAt(segments), r.id, r.type, attributes);
    const name = uniqueName([...segments, r.id].join("_"), names);
    resource.overrideLogicalId(name);
    prepared.set(resource, { resource: { [r.type]: { [name]: attributes } } });
  };

  for (const r of firewallResources(snapshot.cluster)) add(["cluster"], r);
  for (const g of snapshot.cluster.groups ?? []) add(["cluster"], securityGroupResource(g));
  for (const r of [...backupJobResources(snapshot), ...haResources(snapshot), ...storageResources(snapshot)]) add(["cluster"], r);
  for (const r of [...aclResources(snapshot), ...tokenResources(snapshot), ...roleResources(snapshot)]) add(["access"], r);

  const guests: LiveGuestEntry[] = [];
  for (const g of snapshot.guests) {
    const segments = ["nodes", g.node, g.type, String(g.vmid)];
    if (g.type === "qemu") add(segments, { id: "config", type: "proxmox_virtual_environment_vm", attributes: qemuToVm(g) });
    else add(segments, { id: "config", type: "proxmox_virtual_environment_container", attributes: lxcToContainer(g) });
    const owner = g.type === "qemu" ? { node: g.node, vm_id: g.vmid } : { node: g.node, container_id: g.vmid };
    for (const r of firewallResources(g.firewall, owner)) add(segments, r);
    const name = pveText(g.type === "qemu" ? g.config.name : g.config.hostname);
    guests.push({
      type: g.type,
      node: g.node,
      vmid: g.vmid,
      ...(name ? { name } : {}),
      tags: pveTags(g.config.tags),
      path: [LIVE_STACK_ID, ...segments].join("/"),
    });
  }
  return { stack, prepared, guests };
}

/** Every string (and map key) with Terraform's template escapes: live text is data. */
function escaped(v: unknown): unknown {
  if (typeof v === "string") return escapeTemplateText(v);
  if (Array.isArray(v)) return v.map(escaped);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, e]) => [escapeTemplateText(k), escaped(e)]));
  return v;
}

/** A Terraform-style name for a live object (`nodes_pve1_qemu_100_config`), unique in the stack. */
function uniqueName(text: string, taken: Set<string>): string {
  const base = text.replace(/[^A-Za-z0-9_-]/g, "_");
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
