import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatMessage, isMessageKey } from '#src/portal/i18n/messages.js';
import { ZH_CN } from '#src/portal/i18n/zh-CN.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.hbs') ? [join(dir, e.name)] : []))));
  return nested.flat();
}

/** The page templates: layouts, partials, pages, shared and per province (templates/sms is another room's). */
async function templateFiles(root: string): Promise<string[]> {
  const provinces = (await readdir(join(root, 'provinces'), { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => join(root, 'provinces', e.name));
  const dirs = [root, ...provinces].flatMap((dir) => ['layouts', 'partials', 'pages'].map((kind) => join(dir, kind)));
  return (await Promise.all(dirs.map(filesUnder))).flat();
}

describe('message catalogue', () => {
  it('has every key the templates ask for with {{t "…"}}', async () => {
    const missing: string[] = [];
    for (const file of await templateFiles(resolve('templates'))) {
      for (const match of (await readFile(file, 'utf8')).matchAll(/(?:\{\{|\()t "([^"]+)"/g)) {
        if (!isMessageKey(match[1] ?? '')) missing.push(`${file}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('is where the UI text lives: no template writes Chinese inline', async () => {
    const inline: string[] = [];
    for (const file of await templateFiles(resolve('templates'))) {
      const text = await readFile(file, 'utf8');
      if (/\p{Script=Han}/u.test(text)) inline.push(file);
    }
    expect(inline).toEqual([]);
  });

  it('is all Simplified Chinese UI text (no message left empty)', () => {
    const empty = Object.entries(ZH_CN).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
    // Every message but a lone dash carries at least one Han character.
    const notChinese = Object.entries(ZH_CN).filter(([, text]) => text !== '—' && !/\p{Script=Han}/u.test(text));
    expect(notChinese).toEqual([]);
  });

  it('fills {placeholders} and leaves unknown ones visible', () => {
    expect(formatMessage('欢迎来到{title}', { title: '湖南省医疗保障局网上服务大厅' })).toBe('欢迎来到湖南省医疗保障局网上服务大厅');
    expect(formatMessage('{label}不能超过 {max} 个字', { label: '问题描述' })).toBe('问题描述不能超过 {max} 个字');
  });
});
