import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface SourceRef {
  id: string;
  /** The manual the rule id points into, shown on hover. */
  title: string;
}

/** Rule ids (`HN-10`) with the title of the manual their prefix belongs to, deduplicated, in order. */
export function sourceRefs(profile: ProvinceProfile, ...lists: Array<readonly string[] | undefined>): SourceRef[] {
  const ids = [...new Set(lists.flatMap((list) => list ?? []))];
  return ids.map((id) => ({ id, title: manualTitle(profile, id) }));
}

export function manualTitle(profile: ProvinceProfile, ruleId: string): string {
  const prefix = ruleId.split('-', 1)[0];
  const document = profile.documents.find((d) => d.rulePrefix === prefix);
  return document ? [document.title, document.version, document.date].filter(Boolean).join(' ') : ruleId;
}
