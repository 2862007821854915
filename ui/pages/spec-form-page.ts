import { html, SafeHtml } from "../html";
import type { FieldErrors, FormValues } from "../spec-form";
import { csrfField, layout } from "./layout";
import { COMMON_DEFAULTS } from "../../envspec/stage-defaults";
import { WINDOWS_DEFAULTS, WINDOWS_MINIMUMS } from "../../constructs/windows-requirements";

/** What the form page needs. */
export interface SpecFormPageProps {
  /** Adding a tier to this environment; undefined: a new environment. */
  readonly env?: string;
  /** Template names of the environment, cloud images and Windows installers (add-tier form). @default [] */
  readonly templates?: readonly string[];
  readonly values: FormValues;
  readonly errors: FieldErrors;
  readonly csrf: string;
}

/** Default values of a new form. The sizes stay empty: the spec's defaults for the tier's OS apply. */
export const FORM_DEFAULTS: FormValues = {
  stage: "dev",
  os: "linux",
  count: "1",
  ipv4Mode: "dhcp",
  templateAlgorithm: "sha512",
  user: "ops",
  bridge: "vmbr0",
};

/**
 * The form to create an environment or add a tier. Every field has a label, an id and, when the
 * schema refused its value, the message right below it (linked with aria-describedby).
 */
export function specFormPage(p: SpecFormPageProps): string {
  const v = { ...FORM_DEFAULTS, ...p.values };
  const errorOf = (name: string) => p.errors[name] ?? [];
  const described = (name: string, hint?: string) => {
    const ids = [...(hint ? [`${name}-hint`] : []), ...(errorOf(name).length ? [`${name}-error`] : [])];
    return ids.length ? html` aria-describedby="${ids.join(" ")}"` : "";
  };
  const after = (name: string, hint?: string) =>
    html`${hint ? html`<small id="${name}-hint" class="hint">${hint}</small>` : ""}${errorOf(name).length ? html`<p id="${name}-error" class="field-error" role="alert">${errorOf(name).join(" ")}</p>` : ""}`;
  const invalid = (name: string) => (errorOf(name).length ? html` aria-invalid="true"` : "");
  const input = (name: string, label: string, opts: { type?: string; hint?: string; required?: boolean; inputmode?: string } = {}) =>
    html`<div class="field${errorOf(name).length ? " has-error" : ""}"><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${opts.type ?? "text"}" value="${v[name] ?? ""}"${opts.inputmode ? html` inputmode="${opts.inputmode}"` : ""}${opts.required ? html` required` : ""}${invalid(name)}${described(name, opts.hint)}>${after(name, opts.hint)}</div>`;
  const select = (name: string, label: string, options: readonly (readonly [string, string])[], hint?: string) =>
    html`<div class="field${errorOf(name).length ? " has-error" : ""}"><label for="${name}">${label}</label><select id="${name}" name="${name}"${invalid(name)}${described(name, hint)}>${options.map(([value, text]) => html`<option value="${value}"${v[name] === value ? html` selected` : ""}>${text}</option>`)}</select>${after(name, hint)}</div>`;
  const textarea = (name: string, label: string, hint: string) =>
    html`<div class="field${errorOf(name).length ? " has-error" : ""}"><label for="${name}">${label}</label><textarea id="${name}" name="${name}" rows="3"${invalid(name)}${described(name, hint)}>${v[name] ?? ""}</textarea>${after(name, hint)}</div>`;
  const number = (name: string, label: string, hint: string) => input(name, label, { hint, inputmode: "numeric" });

  const environmentPart: SafeHtml | string = p.env
    ? ""
    : html`<fieldset><legend>Environment</legend>
${input("name", "Environment name", { hint: "lowercase letters, digits and -; the file is environments/<name>.yaml", required: true })}
${select(
  "stage",
  "Stage",
  [
    ["dev", "dev"],
    ["staging", "staging"],
    ["prod", "prod"],
  ],
  "prod turns on protection, backups and HA by default",
)}
${input("nodes", "Proxmox VE nodes", { hint: "node names, separated by spaces or commas", required: true })}
${input("bridge", "Bridge", { hint: "existing Linux bridge, e.g. vmbr0" })}
${number("vlan", "VLAN tag (optional)", "1..4094; empty: untagged")}
${input("subnet", "Subnet (optional)", { hint: "CIDR, needed for static pools, e.g. 10.30.0.0/24" })}
${input("gateway", "Gateway (optional)", { hint: "IPv4 address inside the subnet" })}
${input("user", "cloud-init user", { hint: "the login user of every Linux VM (not root)" })}
</fieldset>`;
  const tierDefault = COMMON_DEFAULTS.tier;
  const sizeHint = (range: string, f: "cores" | "memoryMiB" | "diskGiB") =>
    `${range}; empty: ${tierDefault[f]} (Windows: ${WINDOWS_DEFAULTS[f]}, at least ${WINDOWS_MINIMUMS[f]})`;
  const body = html`${errorOf("_").length ? html`<div class="form-errors" role="alert"><h2>The spec is not valid</h2><ul>${errorOf("_").map((m) => html`<li>${m}</li>`)}</ul></div>` : ""}
${Object.keys(p.errors).length ? html`<p class="bad" role="alert" id="form-invalid">Nothing was written: fix the fields marked below.</p>` : ""}
<form method="post" action="${p.env ? `/env/${p.env}/add-tier` : "/new"}" class="spec-form" novalidate>${csrfField(p.csrf)}
${environmentPart}
<fieldset><legend>Tier</legend>
${input("tier", "Tier name", { hint: "lowercase letters, digits and -, e.g. web", required: true })}
${select("os", "Operating system", [
  ["linux", "Linux"],
  ["windows", "Windows (Windows preset)"],
])}
${input("template", "Template name", {
  hint: p.env
    ? `an existing template (${(p.templates ?? []).join(", ") || "none yet"}), or a new name with its image below`
    : "a name for the image, e.g. debian12 (Linux) or win11 (Windows)",
  required: true,
})}
${input("templateUrl", p.env ? "Image URL (new template only)" : "Image URL", {
  hint: "http(s) URL of a qcow2/raw/vmdk cloud image (Linux) or of the installer ISO (Windows)",
  type: "url",
})}
${input("templateChecksum", "Image checksum", { hint: "hex digest of the image, lower case" })}
${select("templateAlgorithm", "Checksum algorithm", [
  ["sha512", "sha512"],
  ["sha256", "sha256"],
])}
${number("count", "Number of VMs", "1..500")}
${number("cores", "Cores per VM", sizeHint("1..128", "cores"))}
${number("memoryMiB", "Memory per VM (MiB)", sizeHint("512..1048576", "memoryMiB"))}
${number("diskGiB", "Disk per VM (GiB)", sizeHint("1..65536", "diskGiB"))}
${select("ipv4Mode", "IPv4 addresses", [
  ["dhcp", "DHCP"],
  ["pool", "Static pool"],
])}
${input("ipv4Pool", "Static pool (when Static pool is chosen)", { hint: "CIDR inside the subnet, e.g. 10.30.0.16/28" })}
${textarea("sshKeys", "SSH public keys", "one key per line (ssh-ed25519 …); public keys only; Linux VMs only (Windows gets no cloud-init)")}
${input("tags", "Tags", { hint: "separated by spaces or commas" })}
${input("exposePort", "Expose port (optional)", { hint: "a preset (https, ssh) or tcp/8443; leave empty to expose nothing" })}
${input("exposeFrom", "Expose to network (optional)", { hint: "CIDR allowed in, e.g. 203.0.113.0/24" })}
</fieldset>
<p><button type="submit">${p.env ? "Validate, save and plan" : "Validate, create and plan"}</button></p>
</form>`;
  return layout({ title: p.env ? `Add a tier to ${p.env}` : "New environment", body, current: p.env ? "environments" : "new" });
}
