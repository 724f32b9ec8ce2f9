import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { scopeWhere } from '#src/authz/procurement-ability.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import type { SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { procurementException, ProcurementErrorCode } from '#src/procurement/procurement.exception.js';
import { productsException, ProductsErrorCode } from '#src/procurement/products/products.exception.js';
import { demoListings, ProductsRepository, type CatalogueQuery, type ListedProduct, type NationalProduct, type Page } from '#src/procurement/products/products.repository.js';
import type { ProvinceId, Tenant } from '#src/tenancy/tenant.js';

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 50;
/** A search term longer than this is not a name, a form, a specification or an approval number. */
const TERM_MAX = 100;

export interface ListedProductView extends Omit<ListedProduct, 'matched'> {
  matched?: { nationalProductId: string; code: string; genericName: string; approvalNumber: string; matchedAt: string } | undefined;
}

/**
 * 药品交易 → 挂网产品对码 (JL-16): a manufacturer's accounts whose role grants the buttons (the guard
 * checks them; N-3 keeps the menu to manufacturers, JL-8 keeps it from a main account that does not
 * transact) list the unit's listed products, search the national catalogue, match and unmatch.
 */
@Injectable()
export class ProductsService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ProductsRepository) private readonly products: ProductsRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /**
   * The unit's listed products; the SQL takes the ability's scope. A manufacturer that has none yet
   * gets the demo listings the first time it opens the list (DEMO DATA, see README).
   */
  async listed(tenant: Tenant, signed: SignedInProcurement, query: Record<string, unknown>): Promise<Page<ListedProductView>> {
    const unitId = unitOf(signed);
    if (!(await this.products.hasListed(tenant.provinceId, unitId))) await this.seedDemo(tenant.provinceId, unitId);
    const scope = scopeWhere(signed.ability, 'query', 'product-matching', { provinceId: 'l.province_id', unitId: 'l.unit_id' }, 1);
    const { page, pageSize } = paging(query);
    if (!scope) return { items: [], total: 0, page, pageSize };
    const matched = query.matched === 'true' ? true : query.matched === 'false' ? false : undefined;
    const found = await this.products.listed(scope, term(query.name) ?? '', matched, page, pageSize);
    return { ...found, items: found.items.map(listedView) };
  }

  async search(query: Record<string, unknown>): Promise<Page<NationalProduct>> {
    const { page, pageSize } = paging(query);
    const filters: CatalogueQuery = {
      keyword: term(query.keyword),
      name: term(query.name),
      dosageForm: term(query.dosageForm),
      specification: term(query.specification),
      manufacturer: term(query.manufacturer),
      approvalNumber: term(query.approvalNumber),
    };
    return this.products.search(filters, page, pageSize);
  }

  /** 对码: one catalogue entry for a listed product not matched yet (NM-6: concurrent matches end in one). */
  async match(tenant: Tenant, signed: SignedInProcurement, listedId: string, body: unknown, origin: RequestOrigin): Promise<ListedProductView> {
    const unitId = unitOf(signed);
    const nationalProductId = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).nationalProductId : undefined;
    if (typeof nationalProductId !== 'string') throw productsException(ProductsErrorCode.PRODUCT_QUERY_INVALID, undefined, { nationalProductId: '请选择国家基础产品' });
    if (!(await this.products.listedById(tenant.provinceId, unitId, listedId))) throw productsException(ProductsErrorCode.LISTED_PRODUCT_NOT_FOUND);
    if (!(await this.products.nationalById(nationalProductId))) throw productsException(ProductsErrorCode.NATIONAL_PRODUCT_NOT_FOUND);
    const outcome = await this.products.match(tenant.provinceId, unitId, listedId, nationalProductId, signed.actor.accountId, this.clock.now());
    if (outcome === 'missing') throw productsException(ProductsErrorCode.LISTED_PRODUCT_NOT_FOUND);
    if (outcome === 'taken') throw productsException(ProductsErrorCode.PRODUCT_ALREADY_MATCHED);
    if (outcome === 'matched') await this.record(tenant, signed, origin, 'product.matched', { listedProductId: listedId, nationalProductId });
    return this.mustFind(tenant.provinceId, unitId, listedId);
  }

  /** 取消对码. */
  async unmatch(tenant: Tenant, signed: SignedInProcurement, listedId: string, origin: RequestOrigin): Promise<ListedProductView> {
    const unitId = unitOf(signed);
    const outcome = await this.products.unmatch(tenant.provinceId, unitId, listedId);
    if (outcome === 'missing') throw productsException(ProductsErrorCode.LISTED_PRODUCT_NOT_FOUND);
    if (outcome === 'not-matched') throw productsException(ProductsErrorCode.PRODUCT_NOT_MATCHED);
    await this.record(tenant, signed, origin, 'product.unmatched', { listedProductId: listedId, nationalProductId: outcome.was });
    return this.mustFind(tenant.provinceId, unitId, listedId);
  }

  /** One listed product of the account's unit (挂网产品对码's detail page). */
  async listedOne(tenant: Tenant, signed: SignedInProcurement, listedId: string): Promise<ListedProductView> {
    return this.mustFind(tenant.provinceId, unitOf(signed), listedId);
  }

  /** The demo listings of a unit (also what tests use to give a unit listed products); answers their ids. */
  async seedDemo(provinceId: ProvinceId, unitId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const listing of demoListings()) {
      const id = await this.products.addListed(provinceId, unitId, listing, this.clock.now());
      if (id) ids.push(id);
    }
    return ids;
  }

  private async mustFind(provinceId: ProvinceId, unitId: string, listedId: string): Promise<ListedProductView> {
    const found = await this.products.listedById(provinceId, unitId, listedId);
    if (!found) throw productsException(ProductsErrorCode.LISTED_PRODUCT_NOT_FOUND);
    return listedView(found);
  }

  private async record(tenant: Tenant, signed: SignedInProcurement, origin: RequestOrigin, kind: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit.record(tenant.provinceId, origin, { kind, outcome: 'success', actorKind: 'procurement-account', actorId: signed.actor.accountId, unitId: signed.actor.unit?.id, account: signed.actor.account, detail });
  }
}

function unitOf(signed: SignedInProcurement): string {
  const unitId = signed.actor.unit?.id;
  if (!unitId) throw procurementException(ProcurementErrorCode.PERMISSION_DENIED);
  return unitId;
}

function term(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > TERM_MAX) throw productsException(ProductsErrorCode.PRODUCT_QUERY_INVALID);
  return value.trim() || undefined;
}

function paging(query: Record<string, unknown>): { page: number; pageSize: number } {
  const page = query.page === undefined ? 1 : Number(query.page);
  const pageSize = query.pageSize === undefined ? PAGE_SIZE_DEFAULT : Number(query.pageSize);
  if (!Number.isInteger(page) || page < 1 || page > 10_000 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
    throw productsException(ProductsErrorCode.PRODUCT_QUERY_INVALID, `page 须为正整数，pageSize 为 1–${String(PAGE_SIZE_MAX)}`);
  }
  return { page, pageSize };
}

function listedView(p: ListedProduct): ListedProductView {
  return { ...p, matched: p.matched && { ...p.matched, matchedAt: p.matched.matchedAt.toISOString() } };
}
