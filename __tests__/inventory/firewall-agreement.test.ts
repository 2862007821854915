import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tierAllowances, VmRow } from "../../inventory/ansible-inventory";
import { loadEnvironment, ResolvedEnvironment, resolveDefaults } from "../../envspec";
import { EnvironmentStack, STATE_BACKEND_ENV } from "../../stacks/environment-stack";
import type { RenderedRule } from "../constructs/first-match";
import { inventoryAccepts } from "./accepted-traffic";

// Without a simulator: for every shipped environment, the Proxmox VM firewall rules in the
// synthesised JSON and the inventory's nftables allowances admit the same traffic, tier by tier.
// Both sides are reduced to "<protocol> <port or ICMP type> from <tier:name | CIDR>" — a rule's
// `+ipset` source is traced back to the tier whose IP set it names, an alias source (a DHCP tier
// is named by one rule per member's alias) to the tier of that member (by construct path, not by
// name), the inventory's address list back to the tier whose VMs have those addresses.

const root = path.resolve(__dirname, "..", "..");
const specFile = (name: string) => path.join(root, "environments", `${name}.yaml`);

/** prod plus ping, a two-range preset (dns: udp and tcp 53) and a port range, so every port kind is compared. */
function prodWithEveryPortKind(): string {
  const extra = ["icmp", "dns", "tcp/8000-8010", "udp/5000-5001"].map((port) => `    - { from: bastion, to: db, port: ${port} }\n`).join("");
  const text = fs
    .readFileSync(specFile("prod"), "utf8")
    .replace("    - { from: bastion, to: db, port: ssh }\n", `    - { from: bastion, to: db, port: ssh }\n${extra}`);
  if (!text.includes("port: udp/5000-5001")) throw new Error("prod.yaml changed: the extra intents were not inserted");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fw-agree-spec-"));
  fs.writeFileSync(path.join(dir, "prod.yaml"), text);
  return path.join(dir, "prod.yaml");
}

/** A fixture spec copied under its environment's name (the loader takes an environment's name from its file). */
function fixtureAs(fixture: string, env: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fw-agree-spec-"));
  fs.copyFileSync(path.join(root, "__tests__", "envspec", fixture), path.join(dir, `${env}.yaml`));
  return path.join(dir, `${env}.yaml`);
}

const ENVIRONMENTS: readonly [string, () => string][] = [
  ["dev", () => specFile("dev")],
  ["staging", () => specFile("staging")],
  ["prod", () => specFile("prod")],
  ["prod with ping, dns and port ranges", prodWithEveryPortKind],
  // A container tier next to a VM tier, with intents both ways (__tests__/envspec/containers.yaml).
  ["containers", () => fixtureAs("containers.yaml", "ctdev")],
];

interface SynthResource {
  readonly "//"?: { readonly metadata?: { readonly path?: string } };
  readonly [field: string]: unknown;
}

/** A synthesised rule block (snake_case; fields other than the evaluator's are checked by name). */
type Rule = RenderedRule & Readonly<Record<string, unknown>>;

function synth(env: ResolvedEnvironment): Record<string, Record<string, SynthResource>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "fw-agree-"));
  const saved = process.env[STATE_BACKEND_ENV];
  process.env[STATE_BACKEND_ENV] = "local";
  try {
    const app = new App({ outdir });
    new EnvironmentStack(app, env.name, { env, policy: false });
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", env.name, "cdk.tf.json"), "utf8")).resource;
  } finally {
    if (saved === undefined) delete process.env[STATE_BACKEND_ENV];
    else process.env[STATE_BACKEND_ENV] = saved;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** `<stack>/tier-<name>/...` → the tier name. */
function tierOfPath(p: string | undefined): string {
  const m = /^[^/]+\/tier-([^/]+)\//.exec(p ?? "");
  if (!m) throw new Error(`resource path ${p} is not under a tier`);
  return m[1];
}

/** What the Proxmox VM firewall of each VM admits, by tier: every VM of a tier must admit the same. */
function proxmoxAdmits(resources: Record<string, Record<string, SynthResource>>): Map<string, string[]> {
  const ipsetTier = new Map(
    Object.entries(resources.proxmox_virtual_environment_firewall_ipset ?? {}).map(([id, r]) => [id, tierOfPath(r["//"]?.metadata?.path)]),
  );
  const aliasTier = new Map(
    Object.entries(resources.proxmox_virtual_environment_firewall_alias ?? {}).map(([id, r]) => [id, tierOfPath(r["//"]?.metadata?.path)]),
  );
  const byTier = new Map<string, string[]>();
  for (const r of Object.values(resources.proxmox_virtual_environment_firewall_rules ?? {})) {
    const tier = tierOfPath(r["//"]?.metadata?.path);
    const aliasesNamed = new Map<string, Set<string>>();
    const admits = (r.rule as Rule[]).map((rule) => {
      const known = ["type", "action", "proto", "dport", "macro", "source", "comment", "enabled"];
      const extra = Object.keys(rule).filter((k) => !known.includes(k));
      if (rule.type !== "in" || rule.action !== "ACCEPT" || extra.length > 0) throw new Error(`cannot reduce rule ${JSON.stringify(rule)}`);
      const ipset = /^\+\$\{proxmox_virtual_environment_firewall_ipset\.([^.}]+)\.name\}$/.exec(rule.source ?? "");
      // A DHCP tier is named member by member (one rule per member's alias): every member of the tier.
      const alias = /^\$\{proxmox_virtual_environment_firewall_alias\.([^.}]+)\.name\}$/.exec(rule.source ?? "");
      const from = ipset ? `tier:${ipsetTier.get(ipset[1])}` : alias ? `tier:${aliasTier.get(alias[1])}` : rule.source;
      const admit = (text: string) => {
        if (alias) aliasesNamed.set(text, new Set([...(aliasesNamed.get(text) ?? []), alias[1]]));
        return text;
      };
      if (rule.macro !== undefined) {
        if (rule.macro !== "Ping" || rule.proto !== undefined) throw new Error(`cannot reduce rule ${JSON.stringify(rule)}`);
        return admit(`icmp echo-request from ${from}`); // PVE's Ping macro: ICMP echo-request only
      }
      const port = rule.proto === "icmp" ? (rule.dport ?? "every-type") : (rule.dport ?? "").replace(":", "-");
      return admit(`${rule.proto} ${port} from ${from}`);
    });
    // A tier named member by member admits the tier only if every member's alias is named.
    for (const [text, named] of aliasesNamed) {
      const source = /from tier:(\S+)$/.exec(text)![1];
      const members = [...aliasTier.values()].filter((t) => t === source).length;
      if (named.size !== members) throw new Error(`"${text}" names ${named.size} of the ${members} aliases of tier ${source}`);
    }
    const sorted = [...new Set(admits)].sort();
    const seen = byTier.get(tier);
    if (seen && JSON.stringify(seen) !== JSON.stringify(sorted)) throw new Error(`the VMs of tier ${tier} have different rules`);
    byTier.set(tier, sorted);
  }
  return byTier;
}

/** Made-up addresses (198.18.0.0/15, reserved for tests), unique per VM, never contacted. */
function rows(env: ResolvedEnvironment): VmRow[] {
  let n = 0;
  return Object.values(env.tiers).flatMap((t) =>
    Array.from({ length: t.count }, (_, i) => ({
      name: `${env.name}-${t.name}-${i + 1}`,
      id: 1000 + n,
      node: env.nodes[0],
      ipv4: `198.18.${Math.floor(++n / 250)}.${n % 250}`,
      tier: t.name,
    })),
  );
}

/** What the inventory admits on a tier, sources traced back to tiers where they are a tier's VMs. */
function inventoryAdmits(env: ResolvedEnvironment, vms: readonly VmRow[], tier: string): string[] {
  const tierByAddresses = new Map(
    Object.keys(env.tiers).map((t) => [
      vms
        .filter((v) => v.tier === t)
        .map((v) => v.ipv4)
        .sort()
        .join(","),
      `tier:${t}`,
    ]),
  );
  // inventoryAccepts reads allowances as the nftables role does: "ipv4 tcp 22 from a,b".
  return [...inventoryAccepts(tierAllowances(env, tier, vms))]
    .map((a) => {
      const m = /^ipv4 (\S+) (\S+) from (\S+)$/.exec(a);
      if (!m) throw new Error(`the inventory admits ${a}, which is not IPv4 from named sources`);
      const from = m[3] === "any" ? "0.0.0.0/0" : (tierByAddresses.get(m[3]) ?? m[3]);
      return `${m[1]} ${m[2]} from ${from}`;
    })
    .sort();
}

describe.each(ENVIRONMENTS)("%s: the Proxmox VM firewall and the guests' nftables admit the same traffic", (_name, file) => {
  const env = resolveDefaults(loadEnvironment(file()));
  const proxmox = proxmoxAdmits(synth(env));
  const vms = rows(env);

  it("has firewall rules to compare", () => {
    expect([...proxmox.values()].flat().length).toBeGreaterThanOrEqual(env.firewall.allow.length + env.firewall.expose.length);
    expect(env.firewall.allow.length + env.firewall.expose.length).toBeGreaterThan(0);
  });

  it.each(Object.keys(env.tiers))("tier %s: same protocols, ports and sources on both", (tier) => {
    expect({ tier, nftables: inventoryAdmits(env, vms, tier) }).toEqual({ tier, nftables: proxmox.get(tier) ?? [] });
  });
});
