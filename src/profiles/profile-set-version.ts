import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { listTemplateFiles } from '#src/profiles/template-files.js';

/** A template by its path inside the templates folder (`provinces/hunan/pages/home.hbs`) and its content's SHA-256. */
export type TemplateFingerprint = readonly [path: string, sha256: string];

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');
/** Code-unit order, not the locale's: nodes with different LANG must agree. */
const byKey = ([a]: readonly [string, string], [b]: readonly [string, string]): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every template (pages, layouts, partials, SMS texts, province overrides) as its fingerprint. */
export async function templateFingerprints(templatesDir: string): Promise<TemplateFingerprint[]> {
  const files = await listTemplateFiles(templatesDir);
  return Promise.all(files.map(async (file) => [relative(templatesDir, file).split(sep).join('/'), sha256(await readFile(file))] as const));
}

/**
 * The version of a whole set: a SHA-256 over each province's resolved-profile hash and each
 * template's. It depends only on the files' contents, never on where they sit or when they were
 * read, so every node that reads the same files names the same version.
 */
export function profileSetVersion(profiles: ReadonlyArray<{ profile: { id: string }; hash: string }>, templates: readonly TemplateFingerprint[]): string {
  const byId = profiles.map((p) => [p.profile.id, p.hash] as const).sort(byKey);
  const byPath = [...templates].sort(byKey);
  return sha256(JSON.stringify({ profiles: byId, templates: byPath }));
}
