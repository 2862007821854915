import { html } from "../html";
import type { AuditEntry } from "../audit-entries";
import { layout, table } from "./layout";

/** One row of the environments list. */
export interface EnvironmentRow {
  readonly name: string;
  /** Stage, or undefined when the spec is invalid. */
  readonly stage?: string;
  /** Where `up` would deploy it, or why it cannot. */
  readonly target: string;
  readonly lastRun?: AuditEntry;
  /** The spec's problems, when invalid. */
  readonly problem?: string;
}

/** The environments list: stage, target, last run from the audit log. */
export function environmentsPage(rows: readonly EnvironmentRow[]): string {
  const body = html`<p>Environments in <code>environments/</code>. Each page reads the spec, the last deploy's state and the policy pack.</p>
${table(
  "Environments",
  ["Environment", "Stage", "Target", "Last run"],
  rows.map((r) => [
    html`<a href="/env/${r.name}">${r.name}</a>`,
    r.stage ?? html`<span class="bad">invalid spec</span>`,
    r.problem ? html`<span class="bad">${r.problem}</span>` : r.target,
    r.lastRun
      ? html`${r.lastRun.action} <span class="result-${r.lastRun.result}">${r.lastRun.result}</span> <time datetime="${r.lastRun.time}">${r.lastRun.time}</time>`
      : "never",
  ]),
  "environments",
)}
<p><a class="button" href="/new">Create an environment</a></p>`;
  return layout({ title: "Environments", body, current: "environments" });
}
