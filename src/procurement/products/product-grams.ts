/**
 * The catalogue's search index (JL-16): PostgreSQL's full-text search has no Chinese parser, and
 * pg_trgm is an extension the embedded PGlite would have to load, so each row keeps a text[] of the
 * single characters and character bigrams of its searchable fields, under a GIN index, and a query
 * asks `search_grams @> grams(query)`, then rechecks the substring. Works the same on PostgreSQL 15
 * and PGlite; a bigram never spans two fields.
 */

/** Lower case, no white space: 「阿莫西林 胶囊」 and 「阿莫西林胶囊」 search alike. */
export function normaliseSearchText(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** Every character and every pair of neighbouring characters of each field, without repeats. */
export function indexGrams(fields: readonly string[]): string[] {
  const grams = new Set<string>();
  for (const field of fields) {
    const chars = [...normaliseSearchText(field)];
    for (let i = 0; i < chars.length; i++) {
      grams.add(chars[i] ?? '');
      if (i + 1 < chars.length) grams.add(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
    }
  }
  grams.delete('');
  return [...grams];
}

const APPROVAL_PREFIX = /^国药准字[a-z]/u;

/** What a row must hold to contain `term`: its bigrams, or the one character of a one-character term. */
export function queryGrams(term: string): string[] {
  const normalised = normaliseSearchText(term);
  // Every approval number starts 国药准字 + a letter: those grams are in nearly every row, and asking
  // for them only makes the index intersect its longest lists. The substring recheck still sees them.
  const distinctive = APPROVAL_PREFIX.exec(normalised) && normalised.length >= 7 ? normalised.slice(5) : normalised;
  const chars = [...distinctive];
  if (chars.length === 1) return chars;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  return [...grams];
}
