import { Inject, Injectable } from '@nestjs/common';
import { messagesFor, DEFAULT_LOCALE, type Locale, type Messages } from '#src/portal/i18n/messages.js';
import { PortalAssets } from '#src/portal/portal-assets.js';
import { ViewEngine } from '#src/portal/view-engine.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export type NavKey = 'home' | 'support' | 'faq' | 'feedback' | 'compare';

export interface PageOptions {
  /** The province the page belongs to: its branding, locale, links and template overrides. */
  tenant?: Tenant | undefined;
  page: string;
  title: string;
  current?: NavKey;
  view: unknown;
  scripts?: readonly string[];
  /**
   * The procurement subsystem's pages have its own shell (title, navigation), as on the real
   * platform; the hall's portal is the default.
   */
  subsystem?: 'procurement';
}

/** Wraps a page's view model in the branded shell (header, navigation, footer) and renders it. */
@Injectable()
export class PageRenderer {
  constructor(
    @Inject(ViewEngine) private readonly views: ViewEngine,
    @Inject(PortalAssets) private readonly assets: PortalAssets,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  localeOf(tenant: Tenant | undefined): Locale {
    return tenant?.profile.branding.locale ?? DEFAULT_LOCALE;
  }

  messages(tenant: Tenant | undefined): Messages {
    return messagesFor(this.localeOf(tenant));
  }

  render(options: PageOptions): string {
    const { tenant } = options;
    const locale = this.localeOf(tenant);
    const m = messagesFor(locale);
    const base = tenant?.basePath ?? '';
    const procurement = options.subsystem === 'procurement' && tenant !== undefined;
    const brand = tenant
      ? {
          title: procurement ? (tenant.profile.urls.procurement?.title ?? `${tenant.profile.name}${m['procurement.subsystem']}`) : tenant.profile.branding.portalTitle,
          logoText: tenant.profile.branding.logoText,
          authority: tenant.profile.authority,
          provinceId: tenant.profile.id,
        }
      : { title: m['site.title'], logoText: m['site.logo'], authority: m['site.authority'], provinceId: undefined };
    const context = {
      lang: locale,
      page: options.page,
      pageTitle: options.title,
      brand,
      base,
      homeHref: procurement ? `${base}/procurement/` : `${base}/`,
      subsystem: options.subsystem,
      nav: procurement ? this.procurementNav(base, m) : this.nav(tenant, m, options.current),
      assets: { css: this.assets.url('portal.css'), favicon: this.assets.url('favicon.svg'), brands: `/brands.css?v=${this.registry.current().version}` },
      scripts: options.scripts ?? [],
      view: options.view,
    };
    return this.views.render(options.page, context, { province: tenant?.profile.id, locale });
  }

  assetUrl(name: string): string {
    return this.assets.url(name);
  }

  private procurementNav(base: string, m: Messages) {
    return [
      { key: 'procurement', href: `${base}/procurement/`, label: m['procurement.nav.home'], current: false },
      { key: 'hall', href: `${base}/hall`, label: m['procurement.nav.hall'], current: false },
      { key: 'support', href: `${base}/support`, label: m['nav.support'], current: false },
    ];
  }

  private nav(tenant: Tenant | undefined, m: Messages, current: NavKey | undefined) {
    const compare = { key: 'compare', href: '/compare', label: m['nav.compare'] };
    const items = tenant
      ? [
          { key: 'home', href: `${tenant.basePath}/`, label: m['nav.home'] },
          { key: 'support', href: `${tenant.basePath}/support`, label: m['nav.support'] },
          { key: 'faq', href: `${tenant.basePath}/faq`, label: m['nav.faq'] },
          { key: 'feedback', href: `${tenant.basePath}/feedback`, label: m['nav.feedback'] },
          compare,
          // On a province's own host, `/` is that province's hall: there is no chooser to go back to.
          ...(tenant.via === 'path' ? [{ key: 'provinces', href: '/', label: m['nav.provinces'] }] : []),
        ]
      : [{ key: 'home', href: '/', label: m['nav.home'] }, compare];
    return items.map((item) => ({ ...item, current: item.key === current }));
  }
}
