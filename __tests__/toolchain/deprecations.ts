/**
 * What of a synthesised Terraform JSON configuration the provider marks deprecated, read from the
 * provider's own schema (`terraform providers schema -json`: `deprecated: true` on resource types,
 * data sources, attributes and nested blocks) rather than from a hand-kept list.
 */

type Json = Record<string, any>;

interface SchemaBlock {
  readonly deprecated?: boolean;
  readonly attributes?: Record<string, { readonly deprecated?: boolean; readonly nested_type?: SchemaBlock }>;
  readonly block_types?: Record<string, { readonly block: SchemaBlock }>;
}

/** The schema of the one provider in `terraform providers schema -json` output. */
export interface ProviderSchema {
  readonly provider: { readonly block: SchemaBlock };
  readonly resource_schemas: Record<string, { readonly block: SchemaBlock }>;
  readonly data_source_schemas: Record<string, { readonly block: SchemaBlock }>;
}

/** The provider's schema from `terraform providers schema -json` output (exactly one provider). */
export function providerSchema(schemasJson: Json): ProviderSchema {
  const all = Object.values<ProviderSchema>(schemasJson.provider_schemas ?? {});
  if (all.length !== 1) throw new Error(`expected the schema of one provider, got ${all.length}`);
  return all[0];
}

/**
 * Paths of everything `config` (a cdk.tf.json) sets that `schema` marks deprecated, e.g.
 * `proxmox_virtual_environment_vm.web.cdrom.enabled`. A block or attribute set to null is not set.
 */
export function deprecatedInConfig(config: Json, schema: ProviderSchema): string[] {
  const found: string[] = [];
  const visit = (block: SchemaBlock, body: unknown, where: string) => {
    if (block.deprecated) found.push(where);
    for (const item of Array.isArray(body) ? body : [body]) {
      if (typeof item !== "object" || item === null) continue;
      for (const [name, attr] of Object.entries(block.attributes ?? {})) {
        const value = (item as Json)[name];
        if (value === undefined || value === null) continue;
        if (attr.deprecated) found.push(`${where}.${name}`);
        if (attr.nested_type) visit({ ...attr.nested_type, deprecated: false }, value, `${where}.${name}`);
      }
      for (const [name, nested] of Object.entries(block.block_types ?? {})) {
        const value = (item as Json)[name];
        if (value !== undefined && value !== null) visit(nested.block, value, `${where}.${name}`);
      }
    }
  };
  for (const [kind, schemas] of [
    ["resource", schema.resource_schemas],
    ["data", schema.data_source_schemas],
  ] as const) {
    for (const [type, instances] of Object.entries((config[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
      const typeSchema = schemas[type];
      if (!typeSchema) throw new Error(`${kind} type ${type} is not in the provider schema`);
      for (const [name, body] of Object.entries(instances)) visit(typeSchema.block, body, `${kind === "data" ? "data." : ""}${type}.${name}`);
    }
  }
  for (const [name, bodies] of Object.entries((config.provider ?? {}) as Record<string, unknown>)) visit(schema.provider.block, bodies, `provider.${name}`);
  return found;
}
