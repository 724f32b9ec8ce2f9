/**
 * Server-side Handlebars: every template under templates/{layouts,partials,pages} and the
 * province overrides under templates/provinces/<id>/{layouts,partials,pages} are read and parsed
 * once at boot (a syntax error stops the boot), compiled on first use and kept. A province's
 * override of a page, layout or partial wins over the shared one of the same name.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { formatMessage, isMessageKey, messagesFor, type Locale } from '#src/portal/i18n/messages.js';

const KINDS = ['layouts', 'partials', 'pages'] as const;
type Kind = (typeof KINDS)[number];
type Delegate = Handlebars.TemplateDelegate;

interface TemplateSet {
  layouts: Map<string, Delegate>;
  partials: Map<string, Delegate>;
  pages: Map<string, Delegate>;
}

export interface RenderOptions {
  /** The province whose overrides apply, if any. */
  province?: string | undefined;
  locale: Locale;
  layout?: string;
}

const emptySet = (): TemplateSet => ({ layouts: new Map(), partials: new Map(), pages: new Map() });

export class ViewEngine {
  private readonly env = Handlebars.create();
  private readonly shared = emptySet();
  private readonly overrides = new Map<string, TemplateSet>();
  /** Shared partials with one province's overrides on top, built once per province. */
  private readonly partialsByProvince = new Map<string, Record<string, Delegate>>();

  private constructor(readonly root: string) {
    registerHelpers(this.env);
  }

  static async load(root: string): Promise<ViewEngine> {
    const engine = new ViewEngine(root);
    await engine.readSet(root, engine.shared);
    const provincesDir = join(root, 'provinces');
    for (const entry of await readdirOrEmpty(provincesDir)) {
      if (!entry.isDirectory()) continue;
      const set = emptySet();
      await engine.readSet(join(provincesDir, entry.name), set);
      engine.overrides.set(entry.name, set);
    }
    return engine;
  }

  /** Renders `pages/<page>` with the context, then the layout around it (`{{{body}}}`). */
  render(page: string, context: Record<string, unknown>, options: RenderOptions): string {
    const own = options.province ? this.overrides.get(options.province) : undefined;
    const pageTemplate = own?.pages.get(page) ?? this.shared.pages.get(page);
    if (!pageTemplate) throw new Error(`no template pages/${page}.hbs`);
    const layoutName = options.layout ?? 'main';
    const layout = own?.layouts.get(layoutName) ?? this.shared.layouts.get(layoutName);
    if (!layout) throw new Error(`no template layouts/${layoutName}.hbs`);
    const runtime: Handlebars.RuntimeOptions = { partials: this.partialsFor(options.province), data: { locale: options.locale } };
    const body = pageTemplate(context, runtime);
    return layout({ ...context, body }, runtime);
  }

  /** Which province directories have overrides (for tests and the boot log). */
  overriddenProvinces(): string[] {
    return [...this.overrides.keys()].sort();
  }

  private partialsFor(province: string | undefined): Record<string, Delegate> {
    const key = province ?? '';
    let partials = this.partialsByProvince.get(key);
    if (!partials) {
      const own = province ? this.overrides.get(province) : undefined;
      partials = Object.fromEntries([...this.shared.partials, ...(own?.partials ?? [])]);
      this.partialsByProvince.set(key, partials);
    }
    return partials;
  }

  private async readSet(dir: string, set: TemplateSet): Promise<void> {
    for (const kind of KINDS) {
      for (const file of await listTemplates(join(dir, kind))) {
        const name = relative(join(dir, kind), file).split(sep).join('/').replace(/\.hbs$/, '');
        set[kind].set(name, this.compile(file, await readFile(file, 'utf8'), kind));
      }
    }
  }

  private compile(file: string, source: string, _kind: Kind): Delegate {
    let ast: hbs.AST.Program;
    try {
      ast = this.env.parse(source);
    } catch (error) {
      throw new Error(`模板语法错误 ${relative(process.cwd(), file)}：${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return this.env.compile(ast, { preventIndent: true });
  }
}

async function readdirOrEmpty(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function listTemplates(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdirOrEmpty(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listTemplates(path)));
    else if (entry.name.endsWith('.hbs')) files.push(path);
  }
  return files.sort();
}

function registerHelpers(env: typeof Handlebars): void {
  /** `{{t "key" name=value}}`: UI text from the catalogue of the page's locale; escaped like any value. */
  env.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) => {
    const locale = (options.data as { locale?: Locale } | undefined)?.locale ?? 'zh-CN';
    if (typeof key !== 'string' || !isMessageKey(key)) throw new Error(`unknown message key ${String(key)}`);
    return formatMessage(messagesFor(locale)[key], options.hash as Record<string, unknown>);
  });
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('join', (items: unknown, separator: unknown) => (Array.isArray(items) ? items.map(String).join(typeof separator === 'string' ? separator : '、') : ''));
  /** 1-based position for numbered steps: `{{inc @index}}`. */
  env.registerHelper('inc', (n: unknown) => (typeof n === 'number' ? n + 1 : n));
}
