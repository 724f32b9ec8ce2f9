import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMS_PURPOSES } from '#src/profiles/profile.schema.js';
import { SmsTemplates } from '#src/sms/sms-templates.js';

const vars = { signName: '湖南医保', code: '012345', minutes: 5 };

describe('SmsTemplates', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-templates-'));
    await mkdir(join(dir, 'sms'), { recursive: true });
    await mkdir(join(dir, 'provinces', 'hunan', 'sms'), { recursive: true });
    await writeFile(join(dir, 'sms', 'registration.hbs'), '【{{signName}}】注册验证码 {{code}}，{{minutes}} 分钟内有效 <勿泄露>\n');
    await writeFile(join(dir, 'provinces', 'hunan', 'sms', 'registration.hbs'), '【{{signName}}】湖南专用：{{code}}');
    await writeFile(join(dir, 'sms', 'typo.hbs'), '【{{signName}}】{{cdoe}}');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders the shipped template of every purpose with the sign name, code and minutes', () => {
    const shipped = new SmsTemplates('templates');
    for (const purpose of SMS_PURPOSES) {
      expect(shipped.render('anhui', purpose, { ...vars, signName: '安徽医保' })).toMatch(/^【安徽医保】.*012345.*5 分钟内有效/);
    }
  });

  it("prefers the province's override, as plain text (no HTML escaping), trimmed", () => {
    const templates = new SmsTemplates(dir);
    expect(templates.render('hunan', 'registration', vars)).toBe('【湖南医保】湖南专用：012345');
    expect(templates.render('anhui', 'registration', { ...vars, signName: '安徽医保' })).toBe('【安徽医保】注册验证码 012345，5 分钟内有效 <勿泄露>');
  });

  it('fails loudly on a missing template or a misspelt variable', () => {
    const templates = new SmsTemplates(dir);
    expect(() => templates.render('hunan', 'login', vars)).toThrow('缺少短信模板 login.hbs');
    expect(() => templates.render('hunan', 'typo', vars)).toThrow(/cdoe/);
  });

  it('reads templates again after the profiles reload', async () => {
    let version = 'v1';
    const templates = new SmsTemplates(dir, () => version);
    expect(templates.render('anhui', 'registration', vars)).toContain('注册验证码');
    await writeFile(join(dir, 'sms', 'registration.hbs'), '【{{signName}}】新模板 {{code}}');
    expect(templates.render('anhui', 'registration', vars)).toContain('注册验证码');
    version = 'v2';
    expect(templates.render('anhui', 'registration', vars)).toBe('【湖南医保】新模板 012345');
  });
});
