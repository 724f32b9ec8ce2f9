import { pager, type PagerView } from '#src/administration/admin-pages.view.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import type { ListedProductView } from '#src/procurement/products/products.service.js';
import type { NationalProduct, Page } from '#src/procurement/products/products.repository.js';

/** The catalogue filters of the 对码 page, in the order the form shows them (JL-16). */
export const CATALOGUE_FILTERS = ['keyword', 'name', 'dosageForm', 'specification', 'manufacturer', 'approvalNumber'] as const;
export type CatalogueFilters = Record<(typeof CATALOGUE_FILTERS)[number], string>;

/** What the account may press on these pages, from its CASL ability. */
export interface ProductButtons {
  match: boolean;
  unmatch: boolean;
}

interface ListedRow {
  id: string;
  listingCode: string;
  name: string;
  dosageForm: string;
  specification: string;
  manufacturer: string;
  approvalNumber: string;
  matched?: string | undefined;
  matchHref?: string | undefined;
  unmatchAction?: string | undefined;
}

export interface ProductsListView {
  csrfToken: string;
  action: string;
  name: string;
  matched: string;
  matchedChoices: Array<{ value: string; label: string; selected: boolean }>;
  alert?: string | undefined;
  rows: ListedRow[];
  pager?: PagerView | undefined;
  homeHref: string;
}

export interface ProductMatchView {
  csrfToken: string;
  product: ListedRow;
  summary: Array<{ id: string; label: string; value: string }>;
  alert?: string | undefined;
  searchAction: string;
  filters: Array<{ id: string; name: string; label: string; value: string }>;
  searched: boolean;
  results: Array<{ id: string; code: string; name: string; dosageForm: string; specification: string; packaging: string; manufacturer: string; approvalNumber: string; matchAction?: string | undefined }>;
  pager?: PagerView | undefined;
  listHref: string;
}

/** A page of results as the pager partial counts it. */
function paged<T>(page: Page<T>) {
  return { ...page, pages: Math.max(1, Math.ceil(page.total / page.pageSize)) };
}

function productName(p: { genericName: string; tradeName: string }): string {
  return p.tradeName && p.tradeName !== p.genericName ? `${p.genericName}（${p.tradeName}）` : p.genericName;
}

function listedRow(base: string, p: ListedProductView, buttons: ProductButtons, m: Messages): ListedRow {
  return {
    id: p.id,
    listingCode: p.listingCode,
    name: productName(p),
    dosageForm: p.dosageForm,
    specification: p.specification,
    manufacturer: p.manufacturer,
    approvalNumber: p.approvalNumber,
    matched: p.matched && formatMessage(m['procurement.products.matchedTo'], { code: p.matched.code, name: p.matched.genericName }),
    matchHref: !p.matched && buttons.match ? `${base}/procurement/products/${p.id}` : undefined,
    unmatchAction: p.matched && buttons.unmatch ? `${base}/procurement/products/${p.id}/unmatch` : undefined,
  };
}

/** 挂网产品对码: the unit's listed products, filtered by name and by whether they are matched. */
export function productsListView(base: string, state: { name: string; matched: string; alert?: string | undefined; page?: Page<ListedProductView> | undefined }, buttons: ProductButtons, csrfToken: string, m: Messages): ProductsListView {
  const action = `${base}/procurement/products`;
  const params = new URLSearchParams();
  if (state.name) params.set('name', state.name);
  if (state.matched) params.set('matched', state.matched);
  return {
    csrfToken,
    action,
    name: state.name,
    matched: state.matched,
    matchedChoices: [
      { value: '', label: m['procurement.products.matched.all'] },
      { value: 'false', label: m['procurement.products.matched.no'] },
      { value: 'true', label: m['procurement.products.matched.yes'] },
    ].map((c) => ({ ...c, selected: c.value === state.matched })),
    alert: state.alert,
    rows: (state.page?.items ?? []).map((p) => listedRow(base, p, buttons, m)),
    pager: state.page && pager(action, params, paged(state.page), m),
    homeHref: `${base}/procurement/`,
  };
}

/** 对码 of one listed product: the national catalogue searched by any field, each hit with 对码. */
export function productMatchView(base: string, product: ListedProductView, state: { filters: CatalogueFilters; alert?: string | undefined; results?: Page<NationalProduct> | undefined }, buttons: ProductButtons, csrfToken: string, m: Messages): ProductMatchView {
  const searchAction = `${base}/procurement/products/${product.id}`;
  const params = new URLSearchParams(Object.entries(state.filters).filter(([, value]) => value !== ''));
  const canMatch = buttons.match && !product.matched;
  const row = listedRow(base, product, buttons, m);
  return {
    csrfToken,
    product: row,
    summary: (['listingCode', 'dosageForm', 'specification', 'manufacturer', 'approvalNumber', 'matched'] as const).map((id) => ({ id, label: m[`procurement.products.col.${id}`], value: row[id] ?? m['procurement.products.matched.no'] })),
    alert: state.alert,
    searchAction,
    filters: CATALOGUE_FILTERS.map((id) => ({ id: `f-${id}`, name: id, label: m[`procurement.products.filter.${id}`], value: state.filters[id] })),
    searched: state.results !== undefined,
    results: (state.results?.items ?? []).map((n) => ({
      id: n.id,
      code: n.code,
      name: productName(n),
      dosageForm: n.dosageForm,
      specification: n.specification,
      packaging: n.packaging,
      manufacturer: n.manufacturer,
      approvalNumber: n.approvalNumber,
      matchAction: canMatch ? `${searchAction}/match` : undefined,
    })),
    pager: state.results && pager(searchAction, params, paged(state.results), m),
    listHref: `${base}/procurement/products`,
  };
}
