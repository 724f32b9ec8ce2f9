import { readFileSync } from 'node:fs';
import { ProvinceProfileSchema } from '#src/profiles/profile.schema.js';
import { editorProfileSchemaText, resolvedProfileSchema } from '#src/profiles/profile-json-schema.js';

/** Every property path whose schema lacks a Chinese title or a description. */
function undocumented(schema: unknown, path = ''): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
  const missing: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const c = child as { title?: string; description?: string };
    if (!c.title || !/[\u4e00-\u9fff]/.test(c.title) || !c.description) missing.push(`${path}/${key}`);
    missing.push(...undocumented(child, `${path}/${key}`));
  }
  if (node.items) missing.push(...undocumented(node.items, `${path}/*`));
  return missing;
}

describe('the profile schema', () => {
  it('gives every property a Chinese title and a description (the comparison view labels rows with them)', () => {
    expect(undocumented(ProvinceProfileSchema)).toEqual([]);
  });

  it('closes every object, so an unknown key in a profile is an error', () => {
    const open: string[] = [];
    const walk = (s: unknown, path: string) => {
      if (s === null || typeof s !== 'object') return;
      const n = s as { type?: string; additionalProperties?: unknown; properties?: Record<string, unknown>; items?: unknown };
      if (n.type === 'object' && n.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, `${path}/${k}`);
      if (n.items) walk(n.items, `${path}/*`);
    };
    walk(ProvinceProfileSchema, '');
    expect(open).toEqual([]);
  });

  it('is published in provinces/profile.schema.json exactly as generated (run `npm run schema:write` after changing it)', () => {
    expect(readFileSync('provinces/profile.schema.json', 'utf8')).toBe(editorProfileSchemaText());
  });

  it('publishes the resolved schema as JSON Schema 2020-12 with the required keys kept', () => {
    const schema = resolvedProfileSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'code', 'login', 'registration', 'support']));
  });

  it('starts every shipped profile with the editor schema line', () => {
    for (const id of ['_national', 'xizang', 'neimenggu', 'jilin', 'hunan', 'anhui']) {
      expect(readFileSync(`provinces/${id}.yaml`, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./profile.schema.json');
    }
  });
});
