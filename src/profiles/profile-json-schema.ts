import { ProvinceProfileSchema } from '#src/profiles/profile.schema.js';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** The resolved profile's schema (what GET /api/v1/provinces/{id} returns), as plain JSON. */
export function resolvedProfileSchema(): Record<string, unknown> {
  return { $schema: DRAFT, $id: 'profile.schema.json', ...(JSON.parse(JSON.stringify(ProvinceProfileSchema)) as Record<string, unknown>) };
}

/**
 * The same schema for editors (provinces/profile.schema.json): a province file is an overlay on
 * _national.yaml, so nothing is required there — types, choices, unknown keys and the Chinese
 * titles still are checked as one types. `npm run province -- validate` checks the merged whole.
 */
export function editorProfileSchema(): Record<string, unknown> {
  return withoutRequired(resolvedProfileSchema()) as Record<string, unknown>;
}

function withoutRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'required' && Array.isArray(value)))
      .map(([key, value]) => [key, withoutRequired(value)]),
  );
}

export function editorProfileSchemaText(): string {
  return JSON.stringify(editorProfileSchema(), null, 2) + '\n';
}
