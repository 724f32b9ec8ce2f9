import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewEngine } from '#src/portal/view-engine.js';

let root: string;

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'templates-'));
  await write('layouts/main.hbs', '<html lang="{{lang}}">{{> header}}{{{body}}}</html>');
  await write('partials/header.hbs', '<h1>{{title}}</h1>');
  await write('pages/home.hbs', '<p>{{t "nav.home"}} {{view.text}}</p>');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ViewEngine', () => {
  it('renders a page inside its layout, with catalogue text and escaped values', async () => {
    const engine = await ViewEngine.load(root);
    const html = engine.render('home', { lang: 'zh-CN', title: '湖南', view: { text: '<script>alert(1)</script>' } }, { locale: 'zh-CN' });
    expect(html).toBe('<html lang="zh-CN"><h1>湖南</h1><p>首页 &lt;script&gt;alert(1)&lt;/script&gt;</p></html>');
  });

  it('lets templates/provinces/<id>/ override a page, a partial or the layout for that province only', async () => {
    await write('provinces/hunan/partials/header.hbs', '<h1 class="hunan">{{title}}</h1>');
    await write('provinces/anhui/pages/home.hbs', '<p>安徽专用首页</p>');
    const engine = await ViewEngine.load(root);
    const context = { lang: 'zh-CN', title: 'T', view: { text: 'x' } };
    expect(engine.render('home', context, { locale: 'zh-CN', province: 'hunan' })).toContain('<h1 class="hunan">T</h1><p>首页 x</p>');
    expect(engine.render('home', context, { locale: 'zh-CN', province: 'anhui' })).toBe('<html lang="zh-CN"><h1>T</h1><p>安徽专用首页</p></html>');
    expect(engine.render('home', context, { locale: 'zh-CN', province: 'jilin' })).toBe('<html lang="zh-CN"><h1>T</h1><p>首页 x</p></html>');
    expect(engine.overriddenProvinces()).toEqual(['anhui', 'hunan']);
  });

  it('refuses to load a template with a syntax error, naming the file and line', async () => {
    await write('pages/broken.hbs', 'ok\n{{#if x}}unclosed');
    await expect(ViewEngine.load(root)).rejects.toThrow(/broken\.hbs:2:1 {2}\/ {2}模板语法错误：Parse error on line 2: Expecting/);
  });

  it('reloads a province override only when told to swap, and a broken one changes nothing', async () => {
    const engine = await ViewEngine.load(root);
    const context = { lang: 'zh-CN', title: 'T', view: { text: 'x' } };
    await write('provinces/hunan/pages/home.hbs', '<p>湖南新首页</p>');
    const swap = await engine.prepareReload();
    expect(engine.render('home', context, { locale: 'zh-CN', province: 'hunan' })).toContain('首页 x');
    swap();
    expect(engine.render('home', context, { locale: 'zh-CN', province: 'hunan' })).toContain('湖南新首页');
    await write('provinces/hunan/pages/home.hbs', '{{#each}}');
    await expect(engine.prepareReload()).rejects.toMatchObject({ issue: { file: expect.stringContaining('provinces/hunan/pages/home.hbs') as unknown, line: 1 } });
    expect(engine.render('home', context, { locale: 'zh-CN', province: 'hunan' })).toContain('湖南新首页');
  });

  it('fails loudly on an unknown message key', async () => {
    await write('pages/typo.hbs', '{{t "nav.hmoe"}}');
    const engine = await ViewEngine.load(root);
    expect(() => engine.render('typo', { lang: 'zh-CN' }, { locale: 'zh-CN' })).toThrow(/unknown message key nav\.hmoe/);
  });
});
