/**
 * The maintainers' comparison: every rule of the resolved profiles as one row, aligned across
 * provinces (list items by their id), labelled with the schema's Chinese titles, with each
 * province's value, whether it is inherited from the national base, and its source rule ids.
 * The API, the CLI and the web page all read these rows.
 */
import { isDeepStrictEqual } from 'node:util';
import type { TSchema } from '@sinclair/typebox';
import { ProvinceProfileSchema } from '#src/profiles/profile.schema.js';
import { isKeyedList, isPlainObject } from '#src/profiles/profile-merge.js';
import { toPointer, type PathSegment } from '#src/profiles/json-pointer.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';

export interface CompareRow {
  /** Stable, readable key: list items by id, e.g. `support.qqGroups[manufacturer].number`. */
  path: string;
  /** Chinese title of the top-level section, e.g. 登录. */
  section: string;
  /** Chinese label from the schema titles (and list items' names). */
  label: string;
  values: Record<string, unknown>;
  same: boolean;
  /** true where the province takes the national base's value unchanged. */
  inherited: Record<string, boolean>;
  sources: Record<string, string[]>;
}

export interface CompareDocument {
  title: string;
  version?: string | undefined;
  date?: string | undefined;
  publisher: string;
  rulePrefix: string;
}

export interface Comparison {
  provinces: string[];
  rows: CompareRow[];
  /** Per province, the manuals its rule ids point into. */
  documents: Record<string, CompareDocument[]>;
}

/** Keys that are bookkeeping rather than rules: shown as sources or used for alignment instead. */
const SKIPPED_KEYS = new Set(['source', '$schema']);
/** Top-level keys that are not rules: the province's own id, and provenance (returned as `documents`). */
const SKIPPED_SECTIONS = new Set(['id', 'documents']);

interface Leaf {
  key: string;
  sectionIndex: number;
  section: string;
  label: string;
  value: unknown;
  inherited: boolean;
  sources: string[];
}

const SECTIONS = Object.keys(ProvinceProfileSchema.properties);

export function compareProfiles(compiled: readonly CompiledProfile[], options: { onlyDiff?: boolean } = {}): Comparison {
  const ids = compiled.map((c) => c.profile.id);
  const rows = new Map<string, CompareRow & { order: number }>();
  let order = 0;
  for (const entry of compiled) {
    for (const leaf of leavesOf(entry)) {
      let row = rows.get(leaf.key);
      if (!row) {
        row = { path: leaf.key, section: leaf.section, label: leaf.label, values: {}, same: false, inherited: {}, sources: {}, order: leaf.sectionIndex * 1e6 + order++ };
        rows.set(leaf.key, row);
      }
      row.values[entry.profile.id] = leaf.value;
      row.inherited[entry.profile.id] = leaf.inherited;
      row.sources[entry.profile.id] = leaf.sources;
    }
  }
  const result: CompareRow[] = [];
  for (const { order: _order, ...row } of [...rows.values()].sort((a, b) => a.order - b.order)) {
    for (const id of ids) {
      if (!(id in row.values)) {
        row.values[id] = null;
        row.inherited[id] = false;
        row.sources[id] = [];
      }
    }
    const first = row.values[ids[0] ?? ''];
    row.same = ids.every((id) => isDeepStrictEqual(row.values[id], first));
    if (!options.onlyDiff || !row.same) result.push(row);
  }
  const documents = Object.fromEntries(
    compiled.map((c) => [c.profile.id, c.profile.documents.map(({ title, version, date, publisher, rulePrefix }) => ({ title, version, date, publisher, rulePrefix }))]),
  );
  return { provinces: ids, rows: result, documents };
}

function leavesOf(compiled: CompiledProfile): Leaf[] {
  const leaves: Leaf[] = [];
  const visit = (value: unknown, schema: TSchema | undefined, path: PathSegment[], key: string, labels: string[], sources: string[]) => {
    const ownSources = isPlainObject(value) && Array.isArray(value.source) ? value.source.map(String) : sources;
    if (isPlainObject(value)) {
      for (const [prop, child] of Object.entries(value)) {
        if (SKIPPED_KEYS.has(prop) || (path.length === 0 && SKIPPED_SECTIONS.has(prop))) continue;
        const childSchema = propertySchema(schema, prop);
        const title = childSchema?.title ?? prop;
        visit(child, childSchema, [...path, prop], key ? `${key}.${prop}` : prop, [...labels, title], ownSources);
      }
      return;
    }
    const itemSchema = (schema as { items?: TSchema } | undefined)?.items;
    // A list of id'd items is aligned item by item; an empty one simply has no items to show.
    if (isKeyedList(value) || (Array.isArray(value) && value.length === 0 && propertySchema(itemSchema, 'id'))) {
      (value as Array<Record<string, unknown> & { id: string }>).forEach((item, index) => {
        const { id, ...rest } = item;
        const name = [rest.name, rest.title, rest.label, rest.purpose].find((v): v is string => typeof v === 'string') ?? id;
        visit(rest, itemSchema, [...path, index], `${key}[${id}]`, [...labels, name], ownSources);
      });
      return;
    }
    const section = String(path[0]);
    // Top-level scalars (code, name, authority…) share one section rather than one each.
    const topLevel = path.length === 1;
    leaves.push({
      key,
      section: topLevel ? '基本信息' : (labels[0] ?? section),
      sectionIndex: topLevel ? -1 : SECTIONS.indexOf(section),
      label: labels.join(' › '),
      value,
      inherited: !compiled.overridden.has(toPointer(path)),
      sources: ownSources,
    });
  };
  visit(compiled.profile, ProvinceProfileSchema, [], '', [], []);
  return leaves;
}

function propertySchema(schema: TSchema | undefined, prop: string): TSchema | undefined {
  return (schema as { properties?: Record<string, TSchema> } | undefined)?.properties?.[prop];
}
