import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

export interface SmsTemplateVars {
  /** Without 【】: the template adds them. */
  signName: string;
  code: string;
  minutes: number;
}

/**
 * `templates/sms/<purpose>.hbs`, or the province's `templates/provinces/<id>/sms/<purpose>.hbs`.
 * Profile validation already refused a purpose without a template; compiled templates are cached
 * until the profiles reload.
 */
export class SmsTemplates {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate<SmsTemplateVars>>();
  private seenVersion: string | undefined;

  constructor(
    private readonly templatesDir: string,
    /** The profile set's version (it covers the SMS templates too): a reload that changed them empties the cache. */
    private readonly profilesVersion: () => string = () => '',
  ) {}

  render(provinceId: string, purpose: string, vars: SmsTemplateVars): string {
    const version = this.profilesVersion();
    if (version !== this.seenVersion) {
      this.cache.clear();
      this.seenVersion = version;
    }
    return this.template(provinceId, purpose)(vars).trim();
  }

  clear(): void {
    this.cache.clear();
  }

  private template(provinceId: string, purpose: string): Handlebars.TemplateDelegate<SmsTemplateVars> {
    const key = `${provinceId}/${purpose}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const source = readFirst([join(this.templatesDir, 'provinces', provinceId, 'sms', `${purpose}.hbs`), join(this.templatesDir, 'sms', `${purpose}.hbs`)]);
    if (source === undefined) throw new Error(`缺少短信模板 ${purpose}.hbs（${this.templatesDir}/sms/ 或 provinces/${provinceId}/sms/）`);
    // Plain text: no HTML escaping; strict, so a misspelt variable fails instead of texting a blank.
    const compiled = this.handlebars.compile<SmsTemplateVars>(source, { noEscape: true, strict: true });
    this.cache.set(key, compiled);
    return compiled;
  }
}

function readFirst(paths: readonly string[]): string | undefined {
  for (const path of paths) {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return undefined;
}
