import type { ResolvedEnvironment } from "../../envspec";
import type { Finding } from "../../policy/finding";
import { firewallIntents } from "../../stacks/firewall-intents";
import type { AuditEntry } from "../audit-entries";
import type { DeployedGuests } from "../deployed-guests";
import { serviceLabel } from "../flow-graph";
import { flowDiagramSvg } from "../flow-svg";
import { html, SafeHtml } from "../html";
import { csrfField, layout, table } from "./layout";

/** What the environment page shows. */
export interface EnvironmentPageProps {
  readonly env: ResolvedEnvironment;
  readonly guests: DeployedGuests;
  readonly findings: readonly Finding[];
  /** Policy could not run: why. @default none */
  readonly policyError?: string;
  readonly target: string;
  readonly lastRun?: AuditEntry;
  readonly csrf: string;
  /** A run in progress (its page link). @default none */
  readonly busy?: string;
}

/** One environment: tiers, guests, flow diagram, policy findings, backups and HA, plan and deploy. */
export function environmentPage(p: EnvironmentPageProps): string {
  const env = p.env;
  const vms = p.guests.vms ?? [];
  const guestRows = Object.values(env.tiers).flatMap((t) =>
    t.vmNames.map((name) => {
      const vm = vms.find((v) => v.name === name);
      return [name, t.name, vm ? String(vm.id) : "not deployed", vm?.node ?? "", vm?.ipv4 || (vm ? "unknown" : "")];
    }),
  );
  const intents = firewallIntents(env);
  const body = html`<nav aria-label="Sections" class="toc"><ul>
<li><a href="#tiers">Tiers</a></li><li><a href="#guests">Guests</a></li><li><a href="#flows">Firewall flows</a></li><li><a href="#policy">Policy</a></li><li><a href="#operations">Backups and HA</a></li><li><a href="#plan">Plan and deploy</a></li></ul></nav>
<dl class="facts"><dt>Stage</dt><dd>${env.stage}</dd><dt>Target</dt><dd>${p.target}</dd><dt>Nodes</dt><dd>${env.nodes.join(", ")}</dd><dt>Last run</dt><dd>${p.lastRun ? `${p.lastRun.action} ${p.lastRun.result} at ${p.lastRun.time}` : "never"}</dd></dl>
<section id="tiers" aria-labelledby="tiers-h"><h2 id="tiers-h">Tiers</h2>
${table(
  "Tiers as the spec resolves them (stage defaults applied)",
  ["Tier", "OS", "Count", "Cores", "Memory (MiB)", "Disk (GiB)", "Template", "IPv4", "Tags"],
  Object.values(env.tiers).map((t) => [
    t.name,
    t.os,
    t.count,
    t.cores,
    t.memoryMiB,
    t.diskGiB,
    t.template,
    t.ipv4.mode === "dhcp" ? "dhcp" : t.ipv4.pool,
    t.tags.join(", "),
  ]),
  "tiers-table",
)}
<p><a class="button" href="/env/${env.name}/add-tier">Add a tier</a> <a href="/env/${env.name}/docs.md">Markdown documentation</a></p></section>
<section id="guests" aria-labelledby="guests-h"><h2 id="guests-h">Guests</h2>
${p.guests.vms ? "" : html`<p class="note">No deployed guests known: ${p.guests.reason}</p>`}
${table("Guests: the spec's VMs and the last deploy's ids, nodes and addresses", ["Name", "Tier", "VM id", "Node", "IPv4"], guestRows, "guests-table")}</section>
<section id="flows" aria-labelledby="flows-h"><h2 id="flows-h">Firewall flows</h2>
<p>Each arrow is one firewall rule; <span class="exposure-key">red dashed arrows</span> are exposures to networks outside the environment.</p>
<figure class="diagram">${new SafeHtml(flowDiagramSvg(env))}<figcaption>Flow diagram of ${env.name}, drawn from the same intent list as the firewall rules.</figcaption></figure>
${table(
  "Firewall flows (the same list as the diagram)",
  ["From", "To", "Port", "Exposure", "Comment"],
  intents.map((i) => [
    i.source.kind === "tier" ? `tier ${i.source.tier}` : `network ${i.source.cidr}`,
    i.tier,
    serviceLabel(i.service),
    i.source.kind === "cidr" ? html`<strong class="exposed">exposed</strong>` : "no",
    i.comment,
  ]),
  "flows-table",
)}</section>
<section id="policy" aria-labelledby="policy-h"><h2 id="policy-h">Policy</h2>
${
  p.policyError
    ? html`<p class="bad">The policy pack could not run: ${p.policyError}</p>`
    : p.findings.length === 0
      ? html`<p class="ok">Passes every rule of the policy pack.</p>`
      : table(
          "Policy findings and their fixes",
          ["Rule", "Severity", "Where", "Finding", "Fix"],
          p.findings.map((f) => [
            f.ruleId,
            html`<span class="sev-${f.severity}">${f.severity}</span>`,
            f.source ? `${f.source.file}:${f.source.line}:${f.source.col}` : f.path,
            f.message,
            f.remediation,
          ]),
          "policy-table",
        )
}</section>
<section id="operations" aria-labelledby="operations-h"><h2 id="operations-h">Backups and HA</h2>
<dl class="facts"><dt>Backups</dt><dd>${env.backups.enabled ? `${env.backups.schedule} to ${env.backups.storage}; keep ${env.backups.retention.keepDaily} daily, ${env.backups.retention.keepWeekly} weekly, ${env.backups.retention.keepMonthly} monthly` : "off"}</dd>
<dt>HA</dt><dd>${env.ha.enabled ? `on (max restart ${env.ha.maxRestart}, max relocate ${env.ha.maxRelocate})` : "off"}</dd>
<dt>Protection flag</dt><dd>${env.protection ? "on" : "off"}</dd>
${env.weakenedDefaults.map((w) => html`<dt>Weakened default</dt><dd class="warn">${w.path} is ${String(w.value)} (stage default ${String(w.stageDefault)})</dd>`)}</dl></section>
<section id="plan" aria-labelledby="plan-h"><h2 id="plan-h">Plan and deploy</h2>
${p.busy ? html`<p class="note">A run is in progress: <a href="${p.busy}">follow it</a>.</p>` : ""}
<form method="post" action="/env/${env.name}/plan">${csrfField(p.csrf)}<button type="submit">Run a plan and review it</button></form>
<p>Deploying plans first; a plan that destroys or replaces anything stops and asks for the environment name.</p></section>`;
  return layout({ title: `Environment ${env.name}`, body, current: "environments" });
}
