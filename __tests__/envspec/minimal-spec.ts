/** Parts of {@link minimalSpec}. */
export interface MinimalSpecParts {
  /** Environment name. @default "shop" */
  readonly name?: string;
  /** Lines placed after `tiers:` (indented by two). @default "  web:\n    template: debian12\n" */
  readonly tiers?: string;
  /** The body of `cloudInit:` (lines indented by two). */
  readonly cloudInit: string;
  /** Text before the spec (comments). @default "" */
  readonly header?: string;
}

/** A valid dev spec — one node, one bridge, one Debian template, tier `web` — around a given `cloudInit` block. */
export function minimalSpec(parts: MinimalSpecParts): string {
  return `${parts.header ?? ""}name: ${parts.name ?? "shop"}
stage: dev
nodes: [pve1]
network:
  bridge:
    name: vmbr0
templates:
  debian12:
    url: https://example.com/debian-12.qcow2
    checksum: ${"ab".repeat(32)}
    checksumAlgorithm: sha256
tiers:
${parts.tiers ?? "  web:\n    template: debian12\n"}cloudInit:
${parts.cloudInit}`;
}
