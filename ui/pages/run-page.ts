import type { ConsoleRun } from "../console-runs";
import { html } from "../html";
import { csrfField, layout, table } from "./layout";

/**
 * A plan or deploy: its log (streamed by /static/console.js over server-sent events while it runs;
 * without JavaScript, reload the page), then its outcome: the plan review and a deploy form, or the
 * guests and the post-deploy validation.
 */
export function runPage(run: ConsoleRun, csrf: string): string {
  const o = run.outcome;
  const title = `${run.action === "plan" ? "Plan" : "Deploy"} of ${run.env}`;
  const status = run.state === "running" ? "running…" : run.state;
  const needsConfirmation = (o?.destructive.length ?? 0) > 0;
  const deployForm = html`<form method="post" action="/env/${run.env}/deploy" class="deploy">${csrfField(csrf)}<input type="hidden" name="plan" value="${run.id}">
${needsConfirmation ? html`<div class="field"><label for="confirm">This destroys or replaces resources. Type the environment name (${run.env}) to confirm</label><input id="confirm" name="confirm" autocomplete="off" required></div>` : ""}
<button type="submit">Deploy ${run.env}</button></form>`;
  const body = html`<p>Status: <strong id="run-status" class="state-${run.state}">${status}</strong> · <a href="/env/${run.env}">back to ${run.env}</a></p>
<h2>Progress</h2>
<pre id="run-log" class="log" tabindex="0" aria-live="polite" aria-label="Progress log" data-events="/runs/${run.id}/events" data-state="${run.state}">${run.lines.join("\n")}</pre>
${run.state === "running" ? html`<p class="note">Without JavaScript, <a href="/runs/${run.id}">reload this page</a> to see more.</p>` : ""}
${
  o
    ? html`<section id="outcome" aria-labelledby="outcome-h"><h2 id="outcome-h">Result</h2><p id="run-summary">${o.summary}</p>
${o.destructive.length ? html`<h3>Destroyed or replaced (${o.destructive.length})</h3><ul class="destructive">${o.destructive.map((l) => html`<li>${l}</li>`)}</ul>` : ""}
${
  o.changes.length
    ? table(
        "Planned changes",
        ["Change"],
        o.changes.map((c) => [c]),
        "changes-table",
      )
    : ""
}
${o.review ? html`<h3>Plan review</h3><pre class="review" tabindex="0">${o.review}</pre>` : ""}
${
  o.vms
    ? table(
        "Guests after the deploy",
        ["Name", "Tier", "VM id", "Node", "IPv4"],
        o.vms.map((v) => [v.name, v.tier, v.id, v.node, v.ipv4]),
        "deployed-table",
      )
    : ""
}
${
  o.checks
    ? table(
        "Post-deploy validation",
        ["VM", "Result", "Agent IPv4", "Port"],
        o.checks.map((c) => [
          c.name,
          c.ok ? "PASS" : "FAIL",
          c.agentIps.join(", ") || "none reported",
          `tcp/${c.port.number} ${c.port.state}${c.port.note ? ` (${c.port.note})` : ""}`,
        ]),
        "checks-table",
      )
    : ""
}
${run.action === "plan" || run.state === "refused" ? deployForm : html`<p><a href="/audit?env=${run.env}">Audit entries of ${run.env}</a></p>`}
</section>`
    : ""
}
${run.state === "failed" ? html`<p class="bad" role="alert">${run.error}</p>` : ""}`;
  return layout({ title, body, script: "console.js" });
}
