import { scalarText } from "../terraform/scalar-text";
import { pveExchange, PveEndpoint } from "../pve/pve-client";
import { simulatorName } from "../pve/simulator-identity";
import { EnvironmentPrivileges, environmentPrivileges } from "./environment-privileges";

/** One line of the preflight: a check and what it found. */
export interface PreflightLine {
  readonly ok: boolean;
  readonly text: string;
}

/** What {@link preflightTarget} found. */
export interface PreflightReport {
  /** True when every check passed. */
  readonly ok: boolean;
  readonly lines: readonly PreflightLine[];
  /** The simulator's name when the endpoint says it is one (`GET /version`'s `simulator`). */
  readonly simulator?: string;
  /** Privileges the token lacks. */
  readonly missing: readonly string[];
}

/** Options of {@link preflightTarget}. */
export interface PreflightOptions {
  /** Where PROXMOX_VE_* come from. @default process.env */
  readonly environment?: NodeJS.ProcessEnv;
  /** What the environment needs; without it the privileges are not checked. @default not checked */
  readonly needs?: EnvironmentPrivileges;
  /** Time limit of each request in milliseconds. @default 10000 */
  readonly timeoutMs?: number;
}

/** Node's codes for a certificate the client does not trust. */
const TLS_TRUST_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * Where PVE checks a privilege for what the provider does, as ACL paths any of which may grant it:
 * guests on /vms/{id} (or their pool), storage on /storage/{id}, SDN on /sdn/zones/…, pools on
 * /pool/{id}, node-level network access on /nodes/{node}, the rest (cluster firewall, HA, backup
 * jobs) on /. A grant on a parent counts when it propagates.
 */
function grantPaths(privilege: string, pools: readonly string[]): { path: string; propagate: boolean }[] {
  const onPools = pools.map((p) => ({ path: `/pool/${p}`, propagate: true }));
  if (privilege.startsWith("VM.")) return [{ path: "/vms", propagate: true }, ...onPools];
  if (privilege.startsWith("Datastore.")) return [{ path: "/storage", propagate: true }];
  if (privilege.startsWith("SDN.")) return [{ path: "/sdn", propagate: true }];
  if (privilege.startsWith("Pool.")) return pools.length ? pools.map((p) => ({ path: `/pool/${p}`, propagate: false })) : [{ path: "/pool", propagate: true }];
  if (privilege === "Sys.AccessNetwork") return [{ path: "/nodes", propagate: true }];
  return [{ path: "/", propagate: false }];
}

/**
 * Checks a real target before anything runs against it: the endpoint answers (GET /version), its
 * certificate is trusted, the API token is accepted (a wrong, deleted or expired token is refused
 * with 401), and — given what the environment needs — the token holds every privilege
 * TerraformAccess derives for it (GET /access/permissions: the token's effective privileges per path).
 */
export async function preflightTarget(opts: PreflightOptions = {}): Promise<PreflightReport> {
  const e = opts.environment ?? process.env;
  const lines: PreflightLine[] = [];
  const fail = (text: string): PreflightReport => ({ ok: false, lines: [...lines, { ok: false, text }], missing: [] });
  const endpoint = e.PROXMOX_VE_ENDPOINT;
  if (!endpoint) return fail("PROXMOX_VE_ENDPOINT is not set: nothing to check (set it to https://<host>:8006/).");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return fail(`PROXMOX_VE_ENDPOINT="${endpoint}" is not a URL: write it as https://<host>:8006/.`);
  }
  if (url.protocol !== "https:") return fail(`PROXMOX_VE_ENDPOINT="${endpoint}" is not https: Proxmox VE's API is served over TLS (https://<host>:8006/).`);
  const token = e.PROXMOX_VE_API_TOKEN;
  const target: PveEndpoint = { endpoint, caCertPath: e.SSL_CERT_FILE, insecure: e.PROXMOX_VE_INSECURE === "true" || e.PROXMOX_VE_INSECURE === "1" };
  const timeoutMs = opts.timeoutMs ?? 10_000;

  let version;
  try {
    version = await pveExchange(target, { method: "GET", path: "/version", apiToken: token, timeoutMs });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (TLS_TRUST_CODES.has(code)) {
      lines.push({ ok: true, text: `reachable: ${url.host}` });
      return fail(
        `TLS: the certificate of ${url.host} is not trusted (${code}). Set SSL_CERT_FILE to the CA that signed it ` +
          `(on Proxmox VE: /etc/pve/pve-root-ca.pem), or PROXMOX_VE_INSECURE=true to skip verification (never for production).`,
      );
    }
    if (code === "ENOENT" || code === "EACCES") return fail(`SSL_CERT_FILE="${e.SSL_CERT_FILE}" cannot be read (${code}).`);
    return fail(`unreachable: ${url.host} (${code || (err as Error).message}) — check PROXMOX_VE_ENDPOINT, the network and the firewall.`);
  }
  lines.push({ ok: true, text: `reachable: ${url.host}` });
  lines.push({ ok: true, text: target.insecure ? "TLS: certificate not verified (PROXMOX_VE_INSECURE=true)" : "TLS: certificate trusted" });
  if (!token) {
    lines.push({ ok: true, text: "token: not checked (no PROXMOX_VE_API_TOKEN; the provider uses PROXMOX_VE_USERNAME/PASSWORD)" });
    return { ok: true, lines, missing: [] };
  }
  if (version.status === 401)
    return fail(`token refused (401 ${version.statusMessage}): PROXMOX_VE_API_TOKEN is wrong, its token was deleted, or it has expired.`);
  if (version.status >= 400) return fail(`GET /version answered ${version.status} ${version.statusMessage}.`);
  const data = (version.body as { data?: Record<string, unknown> } | undefined)?.data ?? {};
  const simulator = simulatorName(data);
  const tokenId = token.split("=")[0];
  lines.push({ ok: true, text: `token accepted: ${tokenId} (Proxmox VE ${scalarText(data.version ?? "?")}${simulator ? `, simulator: ${simulator}` : ""})` });
  if (!opts.needs) return { ok: true, lines, simulator, missing: [] };

  const granted = new Map<string, Record<string, number>>();
  const at = async (p: string): Promise<Record<string, number>> => {
    if (!granted.has(p)) {
      const r = await pveExchange(target, { method: "GET", path: "/access/permissions", args: { path: p }, apiToken: token, timeoutMs });
      if (r.status >= 400) throw new Error(`GET /access/permissions?path=${p} answered ${r.status} ${r.statusMessage}`);
      granted.set(p, ((r.body as { data?: Record<string, Record<string, number>> }).data ?? {})[p] ?? {});
    }
    return granted.get(p) as Record<string, number>;
  };
  const missing: string[] = [];
  const where: string[] = [];
  try {
    for (const priv of opts.needs.privileges) {
      const paths = grantPaths(priv, opts.needs.pools);
      let held = false;
      for (const g of paths) {
        const privs = await at(g.path);
        if (priv in privs && (!g.propagate || Number(privs[priv]) === 1)) held = true;
      }
      if (!held) {
        missing.push(priv);
        where.push(`${priv} (on ${paths.map((g) => g.path).join(" or ")})`);
      }
    }
  } catch (err) {
    return fail(`privileges: could not be read (${(err as Error).message}).`);
  }
  if (opts.needs.unmapped.length)
    lines.push({ ok: false, text: `privileges: cannot check what ${opts.needs.unmapped.join(", ")} need (no mapping in constructs/terraform-privileges.ts)` });
  lines.push(
    missing.length
      ? { ok: false, text: `privileges: the token lacks ${where.join(", ")} — grant them (TerraformAccess derives the role for this environment).` }
      : { ok: true, text: `privileges: all ${opts.needs.privileges.length} the environment needs` },
  );
  return { ok: lines.every((l) => l.ok), lines, simulator, missing };
}

/**
 * Runs {@link preflightTarget} before a workflow touches a real target (the embedded simulator is
 * ours and skipped); throws with every failed check.
 */
export async function requireTargetReady(
  target: { readonly simulated: boolean; readonly description: string; readonly env: Readonly<Record<string, string>> },
  workdir: string,
  env: string,
  log: (l: string) => void,
  /** The environment `doctor --target` can check; none for a cdktf app's stack (doctor reads environment specs). */
  doctorTarget: string | undefined = env,
): Promise<void> {
  if (target.simulated) return;
  const report = await preflightTarget({ environment: { ...process.env, ...target.env }, needs: environmentPrivileges(workdir) });
  if (!report.ok) {
    const failed = report.lines.filter((l) => !l.ok).map((l) => `  ${l.text}`);
    const hint = doctorTarget === undefined ? "" : `\n(\`proxmox-cdk doctor --target ${doctorTarget}\` shows every check)`;
    throw new Error(`${target.description} is not ready for ${env}:\n${failed.join("\n")}${hint}`);
  }
  log(`Preflight: ${report.lines.map((l) => l.text).join("; ")}`);
}
