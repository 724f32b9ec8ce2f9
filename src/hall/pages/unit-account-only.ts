import type { PageRenderer } from '#src/portal/page-renderer.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * 单位管理 is the unit account's (JL-8, HN-4): an operator who opens one of its pages is told so
 * in Chinese, with the way back to the hall, instead of the generic error page.
 */
export function renderUnitAccountOnly(pages: PageRenderer, tenant: Tenant, message: string, section: 'hallOperators' | 'hallUnit'): string {
  const m = pages.messages(tenant);
  const view = { heading: m[`${section}.heading`], message, hallHref: `${tenant.basePath}/hall` };
  return pages.render({ tenant, page: 'hall-unit-only', title: m[`${section}.title`], view });
}
