import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** What the one exception filter sends: `{code, message, fields?}`. */
export interface ErrorBodyLike {
  code?: unknown;
  message?: unknown;
  fields?: unknown;
}

export interface ErrorView {
  code: string;
  heading: string;
  message: string;
  fields: string[];
  hint?: string | undefined;
  provinces: Array<{ name: string; title: string; href: string }>;
  backHref: string;
  backLabel: string;
  requestId: string;
}

export interface ErrorPageInput {
  status: number;
  body: ErrorBodyLike;
  tenant: Tenant | undefined;
  profiles: readonly CompiledProfile[];
  requestId: string;
  /** The request was refused by the CSRF check (its 403 says nothing more specific). */
  csrfRejected: boolean;
}

/** The HTML face of an error the filter mapped: a heading per kind, the filter's Chinese message. */
export function errorView(input: ErrorPageInput, m: Messages): ErrorView {
  const { status, body, tenant } = input;
  const code = typeof body.code === 'string' ? body.code : 'ERROR';
  const message = typeof body.message === 'string' ? body.message : '';
  const fields = body.fields && typeof body.fields === 'object' ? Object.values(body.fields as Record<string, unknown>).map(String) : [];
  const base = { code, fields, requestId: input.requestId, hint: undefined as string | undefined, provinces: [] as ErrorView['provinces'] };
  const back = tenant
    ? { backHref: `${tenant.basePath}/`, backLabel: formatMessage(m['error.back.province'], { name: tenant.profile.branding.portalTitle }) }
    : { backHref: '/', backLabel: m['error.back.home'] };
  const provinceList = input.profiles.map(({ profile }) => ({ name: profile.name, title: profile.branding.portalTitle, href: `/${profile.id}/` }));

  if (code === 'PROVINCE_NOT_FOUND') return { ...base, ...back, heading: m['error.provinceNotFound.heading'], message, provinces: provinceList };
  if (code === 'PROVINCE_REQUIRED') return { ...base, ...back, heading: m['error.provinceRequired.heading'], message: m['chooser.lead'], provinces: provinceList };
  if (status === 404) {
    // No route at all: say so plainly; a coded 404 (a feedback that does not exist…) has its own words.
    const plain = code === 'ROUTE_NOT_FOUND' || message === '';
    return { ...base, ...back, heading: m['error.notFound.heading'], message: plain ? m['error.notFound.message'] : message, provinces: tenant ? [] : provinceList };
  }
  if (status === 403 && input.csrfRejected) return { ...base, ...back, heading: m['error.csrf.heading'], message: m['error.csrf.message'] };
  if (status === 413) return { ...base, ...back, heading: m['error.tooLarge.heading'], message };
  if (status === 429) return { ...base, ...back, heading: m['error.tooMany.heading'], message };
  if (status >= 500) return { ...base, ...back, heading: m['error.server.heading'], message, hint: m['error.server.hint'] };
  return { ...base, ...back, heading: m['error.client.heading'], message };
}
