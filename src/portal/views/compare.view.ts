/**
 * The maintainers' comparison page and its CSV: the rows of compareProfiles() — the very data of
 * GET /api/v1/compare — grouped by section, each value with its origin (inherited from the national
 * base or set by the province) and its rule ids with the manual's title.
 */
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import type { CompareDocument, Comparison } from '#src/profiles/profile-compare.js';
import type { SourceRef } from '#src/portal/views/sources.js';

export interface CompareCell {
  value: string;
  inherited: boolean;
  origin: string;
  sources: SourceRef[];
}

export interface CompareView {
  choices: Array<{ id: string; name: string; checked: boolean }>;
  onlyDiff: boolean;
  csvHref: string;
  columns: Array<{ id: string; name: string }>;
  columnSpan: number;
  sections: Array<{ index: number; name: string; rows: Array<{ path: string; label: string; same: boolean; cells: CompareCell[] }> }>;
  rowCount: number;
  differingCount: number;
  documents: Array<{ prefix: string; title: string; version: string; publisher: string; provinces: string }>;
}

export interface ProvinceName {
  id: string;
  name: string;
}

export interface CompareSelection {
  /** Chosen province ids; empty means all. */
  ids: string[];
  onlyDiff: boolean;
}

export function compareQueryString(selection: CompareSelection): string {
  const params = new URLSearchParams();
  if (selection.ids.length > 0) params.set('provinces', selection.ids.join(','));
  if (selection.onlyDiff) params.set('only', 'diff');
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function compareView(comparison: Comparison, all: readonly ProvinceName[], selection: CompareSelection, m: Messages): CompareView {
  const names = new Map(all.map((p) => [p.id, p.name]));
  const titles = ruleTitles(comparison.documents);
  const sections: CompareView['sections'] = [];
  for (const row of comparison.rows) {
    let section = sections.at(-1);
    if (section?.name !== row.section) {
      section = { index: sections.length + 1, name: row.section, rows: [] };
      sections.push(section);
    }
    section.rows.push({
      path: row.path,
      label: row.label,
      same: row.same,
      cells: comparison.provinces.map((id) => ({
        value: formatValue(row.values[id], m),
        inherited: row.inherited[id] === true,
        origin: row.inherited[id] === true ? m['compare.inherited'] : m['compare.overridden'],
        sources: (row.sources[id] ?? []).map((ruleId) => ({ id: ruleId, title: titles.get(id)?.get(prefixOf(ruleId)) ?? ruleId })),
      })),
    });
  }
  const chosen = new Set(selection.ids);
  return {
    choices: all.map((p) => ({ id: p.id, name: p.name, checked: chosen.size === 0 || chosen.has(p.id) })),
    onlyDiff: selection.onlyDiff,
    csvHref: `/compare.csv${compareQueryString(selection)}`,
    columns: comparison.provinces.map((id) => ({ id, name: names.get(id) ?? id })),
    columnSpan: comparison.provinces.length + 1,
    sections,
    rowCount: comparison.rows.length,
    differingCount: comparison.rows.filter((r) => !r.same).length,
    documents: documentsView(comparison.documents, names),
  };
}

/** One cell's value as people read it: 是/否, lists joined, nothing as a dash. */
export function formatValue(value: unknown, m: Messages): string {
  if (value === null || value === undefined) return m['compare.absent'];
  if (typeof value === 'boolean') return value ? m['compare.yes'] : m['compare.no'];
  if (Array.isArray(value)) return value.length === 0 ? m['compare.emptyValue'] : value.map((v) => formatValue(v, m)).join('、');
  if (typeof value === 'object') {
    // List items without an id (select options, rate limits): `居民身份证（resident-id）`, else `key：value` pairs.
    const entries = Object.entries(value as Record<string, unknown>);
    const { label, value: inner } = value as { label?: unknown; value?: unknown };
    if (typeof label === 'string' && inner !== undefined) return `${label}（${formatValue(inner, m)}）`;
    return entries.map(([key, item]) => `${key}：${formatValue(item, m)}`).join('，');
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

const CSV_BOM = '\uFEFF';

/** UTF-8 with a BOM (so Excel shows the Chinese), CRLF line ends, RFC 4180 quoting. */
export function compareCsv(comparison: Comparison, all: readonly ProvinceName[], m: Messages): string {
  const names = new Map(all.map((p) => [p.id, p.name]));
  const header = [
    m['compare.csv.section'],
    m['compare.csv.label'],
    m['compare.csv.path'],
    m['compare.csv.same'],
    ...comparison.provinces.flatMap((id) => {
      const name = names.get(id) ?? id;
      return [name, formatMessage(m['compare.csv.origin'], { name }), formatMessage(m['compare.csv.sources'], { name })];
    }),
  ];
  const lines = comparison.rows.map((row) => [
    row.section,
    row.label,
    row.path,
    row.same ? m['compare.yes'] : m['compare.no'],
    ...comparison.provinces.flatMap((id) => [
      formatValue(row.values[id], m),
      row.inherited[id] === true ? m['compare.inherited'] : m['compare.overridden'],
      (row.sources[id] ?? []).join(' '),
    ]),
  ]);
  return CSV_BOM + [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function prefixOf(ruleId: string): string {
  return ruleId.split('-', 1)[0] ?? ruleId;
}

function ruleTitles(documents: Comparison['documents']): Map<string, Map<string, string>> {
  return new Map(Object.entries(documents).map(([id, docs]) => [id, new Map(docs.map((d) => [d.rulePrefix, documentTitle(d)]))]));
}

function documentTitle(d: CompareDocument): string {
  return [d.title, d.version, d.date].filter(Boolean).join(' ');
}

function documentsView(documents: Comparison['documents'], names: ReadonlyMap<string, string>): CompareView['documents'] {
  const byPrefix = new Map<string, { doc: CompareDocument; provinces: string[] }>();
  for (const [id, docs] of Object.entries(documents)) {
    for (const doc of docs) {
      const entry = byPrefix.get(doc.rulePrefix) ?? { doc, provinces: [] };
      entry.provinces.push(names.get(id) ?? id);
      byPrefix.set(doc.rulePrefix, entry);
    }
  }
  return [...byPrefix.values()].map(({ doc, provinces }) => ({
    prefix: doc.rulePrefix,
    title: doc.title,
    version: [doc.version, doc.date].filter(Boolean).join(' '),
    publisher: doc.publisher,
    provinces: provinces.join('、'),
  }));
}
