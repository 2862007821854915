import * as dns from "dns";
import * as https from "https";
import { PROVIDER_VERSION } from "./paths";

/** How Terraform obtains bpg/proxmox: from the public registry, or from the project's filesystem mirror. */
export type ProviderSource = "registry" | "mirror";

const REGISTRY_HOST = "registry.terraform.io";

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/**
 * True when the Terraform registry serves bpg/proxmox at the pinned version.
 * Resolves the registry's name first, so a machine without a route to it sends no traffic at all.
 */
export async function registryServesProvider(timeoutMs = 5_000): Promise<boolean> {
  const resolves = await withTimeout(
    dns.promises.lookup(REGISTRY_HOST).then(() => true),
    timeoutMs,
    false,
  );
  if (!resolves) return false;
  const probe = new Promise<boolean>((resolve, reject) => {
    const req = https.get({ host: REGISTRY_HOST, path: "/v1/providers/bpg/proxmox/versions", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(res.statusCode === 200 && body.includes(`"${PROVIDER_VERSION}"`)));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
  return withTimeout(probe, timeoutMs + 1_000, false);
}

/**
 * Chooses the provider source. `PROXMOX_CDK_PROVIDER_SOURCE=registry|mirror` forces one;
 * otherwise the registry when it answers, else the mirror (built with Go).
 */
export async function chooseProviderSource(mirrorAlreadyBuilt: boolean): Promise<ProviderSource> {
  const forced = process.env.PROXMOX_CDK_PROVIDER_SOURCE;
  if (forced === "registry" || forced === "mirror") return forced;
  if (forced) {
    throw new Error(`PROXMOX_CDK_PROVIDER_SOURCE=${forced} is not understood: use "registry", "mirror" or leave it unset.`);
  }
  // A mirror built earlier is kept: it is offline, exact and already verified.
  if (mirrorAlreadyBuilt) return "mirror";
  return (await registryServesProvider()) ? "registry" : "mirror";
}
