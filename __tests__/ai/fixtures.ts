import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { draft, DraftOptions, PlanOutcome, Planner } from "../../ai/draft";
import { ollamaChatModel } from "../../ai/ollama-chat";
import { loadPrompts, PromptSet } from "../../ai/prompt-library";
import { loadSiteFacts, SiteFacts } from "../../ai/site-facts";

const REPO = path.join(__dirname, "..", "..");

const projects: string[] = [];
// Registered when a test file imports the fixtures: the projects of that file go when it ends.
afterAll(() => projects.splice(0).forEach((p) => fs.rmSync(p, { recursive: true, force: true })));

/** A throwaway project with the repo's dev and prod specs (the site facts come from dev). */
export function tempProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ai-draft-"));
  projects.push(root);
  fs.mkdirSync(path.join(root, "environments"));
  for (const env of ["dev", "prod"]) fs.copyFileSync(path.join(REPO, "environments", `${env}.yaml`), path.join(root, "environments", `${env}.yaml`));
  return root;
}

/** Files under environments/ of a project. */
export function environmentFiles(root: string): string[] {
  return fs.readdirSync(path.join(root, "environments")).sort();
}

/** Failure reports under .state/drafts/. */
export function failureReports(root: string): string[] {
  const dir = path.join(root, ".state", "drafts");
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

export const prompts: PromptSet = loadPrompts();

export function factsOf(root: string): SiteFacts {
  return loadSiteFacts(root);
}

/**
 * What a good model answers to "three web servers behind a bastion, postgres only reachable from
 * web, prod": copied site facts, SSH only via the bastion, postgres only from web.
 */
export function shopSpec(facts: SiteFacts): Record<string, any> {
  return {
    name: "shop",
    stage: "prod",
    nodes: [...facts.nodes],
    network: { bridge: { name: "vmbr0", vlan: 10 } },
    templates: JSON.parse(JSON.stringify(facts.templates)),
    tiers: {
      bastion: { count: 1, cores: 1, memoryMiB: 1024, diskGiB: 10, template: "debian12", tags: ["bastion"] },
      web: { count: 3, cores: 2, memoryMiB: 2048, diskGiB: 20, template: "debian12", tags: ["web"] },
      db: { count: 1, cores: 4, memoryMiB: 8192, diskGiB: 100, template: "debian12", tags: ["db", "postgres"] },
    },
    firewall: {
      allow: [
        { from: "web", to: "db", port: "postgres" },
        { from: "bastion", to: "web", port: "ssh" },
        { from: "bastion", to: "db", port: "ssh" },
      ],
      expose: [
        { tier: "web", port: "https", from: "0.0.0.0/0" },
        { tier: "bastion", port: "ssh", from: "203.0.113.0/24" },
      ],
    },
    // The site's PBS target comes with its storage (pinSiteFacts forces it; the model is told not to write it).
    backups: { storage: "pbs", ...(facts.backupTarget ? { pbs: { ...facts.backupTarget } } : {}) },
    cloudInit: JSON.parse(JSON.stringify(facts.cloudInit)),
  };
}

/** The shop spec with SSH on the web tier open to the internet (PVE-FW-006). */
export function sshToTheWorld(facts: SiteFacts): Record<string, any> {
  const spec = shopSpec(facts);
  spec.firewall.expose.push({ tier: "web", port: "ssh", from: "0.0.0.0/0" });
  return spec;
}

export const SHOP_REQUEST = "three web servers behind a bastion, postgres only reachable from web, prod";

/** A plan step that records its calls instead of running terraform. */
export function recordingPlanner(): Planner & { calls: { root: string; env: string; specText: string }[] } {
  const calls: { root: string; env: string; specText: string }[] = [];
  const planner = (root: string, env: string): Promise<PlanOutcome> => {
    calls.push({ root, env, specText: fs.readFileSync(path.join(root, "environments", `${env}.yaml`), "utf8") });
    return Promise.resolve({ counts: { add: 7, change: 0, destroy: 0, replace: 0 }, changes: ["create proxmox_virtual_environment_vm.x"], target: "stub" });
  };
  return Object.assign(planner, { calls });
}

/** Runs the draft pipeline against a (fake) Ollama with test defaults; returns the outcome and its log. */
export async function runDraft(host: string, root: string, overrides: Partial<DraftOptions> & { timeoutMs?: number; stream?: boolean } = {}) {
  const lines: string[] = [];
  const { timeoutMs, stream, ...rest } = overrides;
  const outcome = await draft({
    root,
    request: SHOP_REQUEST,
    model: ollamaChatModel({ host, model: "llama3.1:8b", timeoutMs: timeoutMs ?? 10_000, stream, environment: {} }),
    prompts,
    facts: factsOf(root),
    planner: recordingPlanner(),
    log: (l) => lines.push(l),
    ...rest,
  });
  return { outcome, lines, text: lines.join("\n") };
}
