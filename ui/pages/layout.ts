import { html, SafeHtml } from "../html";

/** What every page has: a title, a body, and the navigation entry that is current. */
export interface PageProps {
  readonly title: string;
  readonly body: SafeHtml;
  /** Navigation entry marked as the current page. @default none */
  readonly current?: "environments" | "new" | "audit";
  /** Script of the page (a file under /static); pages work without it. @default none */
  readonly script?: string;
}

/** A whole HTML document: skip link, navigation, main landmark; styles and scripts from /static only. */
export function layout(props: PageProps): string {
  const nav = (href: string, label: string, key: PageProps["current"]) =>
    html`<li><a href="${href}"${props.current === key ? html` aria-current="page"` : ""}>${label}</a></li>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${props.title} · proxmox-cdk console</title>
<link rel="stylesheet" href="/static/console.css">
${props.script ? html`<script src="/static/${props.script}" defer></script>` : ""}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Main"><span class="brand">proxmox-cdk</span><ul>${nav("/", "Environments", "environments")}${nav("/new", "New environment", "new")}${nav("/audit", "Audit log", "audit")}</ul></nav></header>
<main id="main" tabindex="-1">
<h1>${props.title}</h1>
${props.body}
</main>
</body>
</html>
`.text;
}

/** A table with a caption and header cells; `rows` are already escaped cells. */
export function table(caption: string, headers: readonly string[], rows: readonly (readonly unknown[])[], id?: string): SafeHtml {
  return html`<div class="table-wrap"><table${id ? html` id="${id}"` : ""}><caption>${caption}</caption><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table></div>`;
}

/** The hidden CSRF field every form carries. */
export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${csrf}">`;
}
