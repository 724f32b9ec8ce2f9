import { Controller, Get, Header, Inject, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '#src/authz/public.decorator.js';
import { brandCss } from '#src/portal/brand-css.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { chooserView } from '#src/portal/views/chooser.view.js';
import { faqView } from '#src/portal/views/faq.view.js';
import { homeView } from '#src/portal/views/home.view.js';
import { supportView } from '#src/portal/views/support.view.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { CurrentTenant, OptionalTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export const HTML = 'text/html; charset=utf-8';

/**
 * The province-branded hall pages. Each route exists twice: `/{province}/…` by id (or code), and
 * the bare path for a host that a profile lists, where the host names the province.
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
export class PortalController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  /** The province chooser, or the hall itself on a province's own host. */
  @Public()
  @Get()
  @Header('content-type', HTML)
  root(@OptionalTenant() tenant: Tenant | undefined): string {
    if (tenant) return this.home(tenant);
    const m = this.pages.messages(undefined);
    return this.pages.render({ page: 'chooser', title: m['chooser.title'], current: 'home', view: chooserView(this.registry.current().profiles) });
  }

  @Public()
  @Get(':province')
  @Header('content-type', HTML)
  home(@CurrentTenant() tenant: Tenant): string {
    const m = this.pages.messages(tenant);
    return this.pages.render({ tenant, page: 'home', title: m['home.title'], current: 'home', view: homeView(tenant.profile, m, tenant.basePath) });
  }

  @Public()
  @Get([':province/support', 'support'])
  @Header('content-type', HTML)
  support(@CurrentTenant() tenant: Tenant): string {
    const m = this.pages.messages(tenant);
    return this.pages.render({ tenant, page: 'support', title: m['support.title'], current: 'support', view: supportView(tenant.profile, m) });
  }

  @Public()
  @Get([':province/faq', 'faq'])
  @Header('content-type', HTML)
  faq(@CurrentTenant() tenant: Tenant): string {
    const m = this.pages.messages(tenant);
    return this.pages.render({ tenant, page: 'faq', title: m['faq.title'], current: 'faq', view: faqView(tenant.profile) });
  }

  /** Every province's colours; versioned by the profile set, so cached until a reload. */
  @Public()
  @Get('brands.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  brands(): string {
    return brandCss(this.registry.current().profiles);
  }
}
