import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface LinkView {
  href: string;
  label: string;
  note?: string | undefined;
}

type ProfileLink = ProvinceProfile['urls']['hall'];

export function linkView(link: ProfileLink, label = link.title): LinkView {
  return { href: link.url, label, note: link.note };
}
