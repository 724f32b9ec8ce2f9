import { linkView, type LinkView } from '#src/portal/views/external-link.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface FaqView {
  items: Array<{ id: string; question: string; answer: string; link?: LinkView | undefined; sources: SourceRef[] }>;
}

/** The FAQ the manuals answer (XZ-9, AH-5, N-4…), national entries first unless a province overrides them. */
export function faqView(profile: ProvinceProfile): FaqView {
  return {
    items: profile.faq.map((item) => ({
      id: item.id,
      question: item.question,
      answer: item.answer,
      link: item.link ? linkView(item.link) : undefined,
      sources: sourceRefs(profile, item.source, item.link?.source),
    })),
  };
}
