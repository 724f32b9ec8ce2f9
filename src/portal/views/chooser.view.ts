import type { CompiledProfile } from '#src/profiles/profile-compiler.js';

export interface ChooserView {
  provinces: Array<{ id: string; name: string; title: string; logoText: string; href: string }>;
}

export function chooserView(profiles: readonly CompiledProfile[]): ChooserView {
  return {
    provinces: profiles.map(({ profile }) => ({
      id: profile.id,
      name: profile.name,
      title: profile.branding.portalTitle,
      logoText: profile.branding.logoText,
      href: `/${profile.id}/`,
    })),
  };
}
