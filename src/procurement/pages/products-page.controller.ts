import { Body, Controller, Get, Header, Inject, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/csrf-protection';
import { requestOrigin } from '#src/audit/audit-log.js';
import { subjectOf } from '#src/authz/procurement-ability.js';
import { SignedInPages } from '#src/identity/pages/hall-page.guard.js';
import { formText, send, userError } from '#src/identity/pages/page-support.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { HTML } from '#src/portal/portal.controller.js';
import { CATALOGUE_FILTERS, productMatchView, productsListView, type CatalogueFilters, type ProductButtons } from '#src/procurement/pages/products-page.view.js';
import { RequiresPermission, SignedInProcurementAccount, type SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { ProductsService } from '#src/procurement/products/products.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const MENU = 'product-matching';

/**
 * 药品交易 → 挂网产品对码 as pages (JL-16): the unit's listed products, and for one of them the
 * national catalogue searched by name, dosage form, specification, manufacturer or approval number
 * with 对码 on each hit; 取消对码 on a matched one. Each route holds the same CASL button as its API
 * route, through the same guard (N-3 keeps the menu to manufacturers, JL-8 from a main account that
 * does not transact).
 */
@ApiExcludeController()
@Controller()
@UseInterceptors(TenantInterceptor)
@SignedInPages('procurement')
export class ProductsPageController {
  constructor(
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProductsService) private readonly products: ProductsService,
  ) {}

  @Get([':province/procurement/products', 'procurement/products'])
  @RequiresPermission(MENU, 'query')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async list(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const state = { name: queryText(query.name), matched: query.matched === 'true' || query.matched === 'false' ? query.matched : '' };
    const m = this.pages.messages(tenant);
    let status = 200;
    let view;
    try {
      view = productsListView(tenant.basePath, { ...state, page: await this.products.listed(tenant, signed, query) }, buttonsOf(tenant, signed), reply.generateCsrf(), m);
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      status = known.status;
      view = productsListView(tenant.basePath, { ...state, alert: known.message }, buttonsOf(tenant, signed), reply.generateCsrf(), m);
    }
    send(reply, { status, html: this.pages.render({ tenant, page: 'procurement-products', title: m['procurement.products.title'], view, subsystem: 'procurement' }) });
  }

  /** One listed product; with any filter given, the catalogue's hits under it. */
  @Get([':province/procurement/products/:listedId', 'procurement/products/:listedId'])
  @RequiresPermission(MENU, 'query')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async product(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('listedId') listedId: string, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const filters = Object.fromEntries(CATALOGUE_FILTERS.map((f) => [f, queryText(query[f])])) as CatalogueFilters;
    const searched = CATALOGUE_FILTERS.some((f) => filters[f] !== '');
    await this.renderProduct(tenant, signed, reply, listedId, filters, searched ? query : undefined);
  }

  @Post([':province/procurement/products/:listedId/match', 'procurement/products/:listedId/match'])
  @RequiresPermission(MENU, 'match')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async match(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('listedId') listedId: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.change(tenant, signed, reply, listedId, () => this.products.match(tenant, signed, listedId, { nationalProductId: formText(body, 'nationalProductId') }, requestOrigin(request)));
  }

  @Post([':province/procurement/products/:listedId/unmatch', 'procurement/products/:listedId/unmatch'])
  @RequiresPermission(MENU, 'unmatch')
  @Header('content-type', HTML)
  @Header('cache-control', 'no-store')
  async unmatch(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('listedId') listedId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.change(tenant, signed, reply, listedId, () => this.products.unmatch(tenant, signed, listedId, requestOrigin(request)));
  }

  /** A match or unmatch, then back to the product; a refusal is said on the product's page. */
  private async change(tenant: Tenant, signed: SignedInProcurement, reply: FastifyReply, listedId: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
      send(reply, { redirect: `${tenant.basePath}/procurement/products/${listedId}` });
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      const empty = Object.fromEntries(CATALOGUE_FILTERS.map((f) => [f, ''])) as CatalogueFilters;
      await this.renderProduct(tenant, signed, reply, listedId, empty, undefined, { status: known.status, message: known.message });
    }
  }

  private async renderProduct(tenant: Tenant, signed: SignedInProcurement, reply: FastifyReply, listedId: string, filters: CatalogueFilters, search: Record<string, unknown> | undefined, refused?: { status: number; message: string }): Promise<void> {
    const m = this.pages.messages(tenant);
    // Not this unit's product (or no such id): the same answer as the API, on the list page.
    const product = await this.products.listedOne(tenant, signed, listedId).catch((error: unknown) => {
      if (!userError(error)) throw error;
      return undefined;
    });
    if (!product) {
      const view = productsListView(tenant.basePath, { name: '', matched: '', alert: m['procurement.products.notFound'] }, buttonsOf(tenant, signed), reply.generateCsrf(), m);
      send(reply, { status: 404, html: this.pages.render({ tenant, page: 'procurement-products', title: m['procurement.products.title'], view, subsystem: 'procurement' }) });
      return;
    }
    let status = refused?.status ?? 200;
    let alert = refused?.message;
    let results;
    try {
      results = search && (await this.products.search(search));
    } catch (error) {
      const known = userError(error);
      if (!known) throw error;
      status = known.status;
      alert = known.message;
    }
    const view = productMatchView(tenant.basePath, product, { filters, alert, results }, buttonsOf(tenant, signed), reply.generateCsrf(), m);
    send(reply, { status, html: this.pages.render({ tenant, page: 'procurement-product-match', title: m['procurement.products.match.title'], view, subsystem: 'procurement' }) });
  }
}

function buttonsOf(tenant: Tenant, signed: SignedInProcurement): ProductButtons {
  const subject = subjectOf(MENU, { provinceId: tenant.provinceId, unitId: signed.actor.unit?.id });
  return { match: signed.ability.can('match', subject), unmatch: signed.ability.can('unmatch', subject) };
}

function queryText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
