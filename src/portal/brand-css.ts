import type { CompiledProfile } from '#src/profiles/profile-compiler.js';

/**
 * Every province's colours as CSS custom properties under `.province-<id>`: a stylesheet rather
 * than inline styles, so the Content-Security-Policy can forbid inline styles. Ids and colours are
 * safe to write as they are: the schema restricts them to `[a-z0-9-]` and `#RRGGBB`.
 */
export function brandCss(profiles: readonly CompiledProfile[]): string {
  return profiles
    .map(({ profile }) => `.province-${profile.id} {\n  --primary: ${profile.branding.primaryColor};\n  --accent: ${profile.branding.accentColor};\n}\n`)
    .join('');
}
