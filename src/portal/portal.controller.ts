import { Controller, Get, Header, Inject, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '#src/authz/public.decorator.js';
import { cachedDocument, DocumentCache, sendDocument } from '#src/http/cached-document.js';
import { brandCss } from '#src/portal/brand-css.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { chooserView } from '#src/portal/views/chooser.view.js';
import { faqView } from '#src/portal/views/faq.view.js';
import { homeView } from '#src/portal/views/home.view.js';
import { supportView } from '#src/portal/views/support.view.js';
import { ProfileRegistry, type ProfileSnapshot } from '#src/profiles/profile-registry.service.js';
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
  /**
   * These pages depend on nothing but the province and the profile set (templates included, which
   * reload with it): each is rendered once per set and revalidated by ETag.
   */
  private readonly rendered = new DocumentCache<ProfileSnapshot>();

  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  /** The province chooser, or the hall itself on a province's own host. */
  @Public()
  @Get()
  root(@OptionalTenant() tenant: Tenant | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    if (tenant) return this.home(tenant, request, reply);
    return this.send(request, reply, undefined, 'chooser', () => {
      const m = this.pages.messages(undefined);
      return this.pages.render({ page: 'chooser', title: m['chooser.title'], current: 'home', view: chooserView(this.registry.current().profiles) });
    });
  }

  @Public()
  @Get(':province')
  home(@CurrentTenant() tenant: Tenant, @Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    return this.send(request, reply, tenant, 'home', (m) => this.pages.render({ tenant, page: 'home', title: m['home.title'], current: 'home', view: homeView(tenant.profile, m, tenant.basePath) }));
  }

  @Public()
  @Get([':province/support', 'support'])
  support(@CurrentTenant() tenant: Tenant, @Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    return this.send(request, reply, tenant, 'support', (m) => this.pages.render({ tenant, page: 'support', title: m['support.title'], current: 'support', view: supportView(tenant.profile, m) }));
  }

  @Public()
  @Get([':province/faq', 'faq'])
  faq(@CurrentTenant() tenant: Tenant, @Req() request: FastifyRequest, @Res() reply: FastifyReply): FastifyReply {
    return this.send(request, reply, tenant, 'faq', () => this.pages.render({ tenant, page: 'faq', title: this.pages.messages(tenant)['faq.title'], current: 'faq', view: faqView(tenant.profile) }));
  }

  private send(request: FastifyRequest, reply: FastifyReply, tenant: Tenant | undefined, page: string, render: (m: ReturnType<PageRenderer['messages']>) => string): FastifyReply {
    const key = `${page}:${tenant?.profile.id ?? ''}:${tenant?.basePath ?? ''}`;
    return sendDocument(request, reply, this.rendered.get(this.registry.current(), key, () => cachedDocument(render(this.pages.messages(tenant)), HTML)));
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
