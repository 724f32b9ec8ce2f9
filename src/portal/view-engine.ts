/**
 * Server-side Handlebars: every template under templates/{layouts,partials,pages} and the
 * province overrides under templates/provinces/<id>/{layouts,partials,pages} are read and parsed
 * at boot (a syntax error stops the boot), compiled on first use and kept. A province's override
 * of a page, layout or partial wins over the shared one of the same name. A profile reload reads
 * them all again (prepareReload, registered with the ProfileRegistry): a template with a syntax
 * error fails that reload like a broken profile, and the running templates stay.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { formatMessage, isMessageKey, messagesFor, type Locale } from '#src/portal/i18n/messages.js';
import { displayPath } from '#src/profiles/profile-files.js';
import { ReloadStepError } from '#src/profiles/profile-registry.service.js';
import { listTemplateFiles, readdirOrEmpty } from '#src/profiles/template-files.js';

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

/** Everything read from one pass over the folder: replaced whole by a reload. */
interface TemplateTree {
  shared: TemplateSet;
  overrides: Map<string, TemplateSet>;
  /** Shared partials with one province's overrides on top, built once per province. */
  partialsByProvince: Map<string, Record<string, Delegate>>;
}

export class ViewEngine {
  private readonly env = Handlebars.create();
  private tree: TemplateTree = { shared: emptySet(), overrides: new Map(), partialsByProvince: new Map() };

  private constructor(readonly root: string) {
    registerHelpers(this.env);
  }

  static async load(root: string): Promise<ViewEngine> {
    const engine = new ViewEngine(root);
    engine.tree = await engine.readTree();
    return engine;
  }

  /** Reads and parses every template again; the returned swap installs them (ReloadStep). */
  async prepareReload(): Promise<() => void> {
    const tree = await this.readTree();
    return () => {
      this.tree = tree;
    };
  }

  /** Renders `pages/<page>` with the context, then the layout around it (`{{{body}}}`). */
  render(page: string, context: Record<string, unknown>, options: RenderOptions): string {
    // One tree for the whole render, even if a reload swaps it meanwhile.
    const tree = this.tree;
    const own = options.province ? tree.overrides.get(options.province) : undefined;
    const pageTemplate = own?.pages.get(page) ?? tree.shared.pages.get(page);
    if (!pageTemplate) throw new Error(`no template pages/${page}.hbs`);
    const layoutName = options.layout ?? 'main';
    const layout = own?.layouts.get(layoutName) ?? tree.shared.layouts.get(layoutName);
    if (!layout) throw new Error(`no template layouts/${layoutName}.hbs`);
    const runtime: Handlebars.RuntimeOptions = { partials: partialsFor(tree, options.province), data: { locale: options.locale } };
    const body = pageTemplate(context, runtime);
    return layout({ ...context, body }, runtime);
  }

  /** Which province directories have overrides (for tests and the boot log). */
  overriddenProvinces(): string[] {
    return [...this.tree.overrides.keys()].sort();
  }

  private async readTree(): Promise<TemplateTree> {
    const tree: TemplateTree = { shared: emptySet(), overrides: new Map(), partialsByProvince: new Map() };
    await this.readSet(this.root, tree.shared);
    const provincesDir = join(this.root, 'provinces');
    for (const entry of await readdirOrEmpty(provincesDir)) {
      if (!entry.isDirectory()) continue;
      const set = emptySet();
      await this.readSet(join(provincesDir, entry.name), set);
      tree.overrides.set(entry.name, set);
    }
    return tree;
  }

  private async readSet(dir: string, set: TemplateSet): Promise<void> {
    for (const kind of KINDS) {
      for (const file of await listTemplateFiles(join(dir, kind))) {
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
      const message = error instanceof Error ? error.message : String(error);
      const line = Number(/line (\d+)/.exec(message)?.[1] ?? 1);
      throw new ReloadStepError({ file: displayPath(file), line, col: 1, pointer: '', message: `模板语法错误：${firstAndLastLine(message)}` });
    }
    return this.env.compile(ast, { preventIndent: true });
  }
}

/** Handlebars' parse errors: "Parse error on line 2:", the source excerpt, then what it expected. */
function firstAndLastLine(message: string): string {
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 1 ? `${lines[0] ?? ''} ${lines.at(-1) ?? ''}` : message;
}

function partialsFor(tree: TemplateTree, province: string | undefined): Record<string, Delegate> {
  const key = province ?? '';
  let partials = tree.partialsByProvince.get(key);
  if (!partials) {
    const own = province ? tree.overrides.get(province) : undefined;
    partials = Object.fromEntries([...tree.shared.partials, ...(own?.partials ?? [])]);
    tree.partialsByProvince.set(key, partials);
  }
  return partials;
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
