/** Renders a Comparison for the terminal (aligned table), for Markdown, or as JSON. */
import type { Comparison } from '#src/profiles/profile-compare.js';
import { DEFAULT_LOCALE, messagesFor } from '#src/portal/i18n/messages.js';
import { formatValue } from '#src/portal/views/compare.view.js';

// Values read the same in the terminal as on the comparison page and in its CSV.
const messages = messagesFor(DEFAULT_LOCALE);

export type CompareFormat = 'table' | 'markdown' | 'json';

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    width += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ? 2 : 1;
  }
  return width;
}

function fit(text: string, width: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1 && displayWidth(text) > width) return out + '…' + ' '.repeat(Math.max(0, width - used - 1));
    out += ch;
    used += w;
  }
  return out + ' '.repeat(Math.max(0, width - used));
}

function cells(comparison: Comparison): { header: string[]; body: string[][] } {
  const header = ['规则', ...comparison.provinces, '依据'];
  const body = comparison.rows.map((row) => [
    row.label,
    ...comparison.provinces.map((id) => formatValue(row.values[id], messages) + (row.inherited[id] || row.values[id] === null ? '' : ' *')),
    [...new Set(comparison.provinces.flatMap((id) => row.sources[id] ?? []))].join(' '),
  ]);
  return { header, body };
}

export function renderComparison(comparison: Comparison, format: CompareFormat): string {
  if (format === 'json') return JSON.stringify(comparison, null, 2) + '\n';
  const { header, body } = cells(comparison);
  if (format === 'markdown') {
    const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const lines = [header, header.map(() => '---'), ...body].map((r) => `| ${r.map(escape).join(' | ')} |`);
    return `${lines.join('\n')}\n\n\\* 表示本省覆盖了国家基线的值；共 ${body.length} 行。\n`;
  }
  const max = [44, ...comparison.provinces.map(() => 30), 24];
  const widths = header.map((_, c) => Math.min(max[c] ?? 30, Math.max(...[header, ...body].map((r) => displayWidth(r[c] ?? '')))));
  const line = (r: string[]) => r.map((cell, c) => fit(cell, widths[c] ?? 10)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line), '', `* 表示本省覆盖了国家基线的值；共 ${body.length} 行。`, ''].join('\n');
}
