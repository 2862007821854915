import { html } from "../html";
import type { AuditEntry, AuditFilter } from "../audit-entries";
import { layout, table } from "./layout";

/** The audit log with filters (a GET form: works without JavaScript, links can be shared). */
export function auditPage(
  entries: readonly AuditEntry[],
  filter: AuditFilter,
  options: { readonly envs: readonly string[]; readonly unreadable: number },
): string {
  const select = (name: keyof AuditFilter, label: string, values: readonly string[]) =>
    html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="">any</option>${values.map((v) => html`<option value="${v}"${filter[name] === v ? html` selected` : ""}>${v}</option>`)}</select></div>`;
  const body = html`<form method="get" action="/audit" class="filters" aria-label="Filter the audit log">
${select("env", "Environment", options.envs)}
${select("action", "Action", ["up", "plan", "destroy", "drift", "review", "draft"])}
${select("result", "Result", ["ok", "no-changes", "error", "drift"])}
<button type="submit">Filter</button>
</form>
${options.unreadable ? html`<p class="warn">${options.unreadable} line(s) of the audit log are not audit records and are not shown.</p>` : ""}
${table(
  `Audit log: ${entries.length} entr${entries.length === 1 ? "y" : "ies"}, newest first`,
  ["Time", "User", "Environment", "Action", "Result", "Changes", "Target", "Error"],
  entries.map((e) => [
    html`<time datetime="${e.time}">${e.time}</time>`,
    e.user,
    e.env,
    e.action,
    html`<span class="result-${e.result}">${e.result}</span>`,
    e.counts
      ? Object.entries(e.counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ")
      : "",
    e.target ?? "",
    e.error ?? "",
  ]),
  "audit",
)}`;
  return layout({ title: "Audit log", body, current: "audit" });
}
