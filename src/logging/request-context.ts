import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RESERVED_PROVINCE_IDS } from '#src/profiles/reserved-province-ids.js';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is logged verbatim, so only a short, plain one is trusted.
const TRUSTED_REQUEST_ID = /^[\w.:-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();

/**
 * One id per request, shared by Fastify (`request.id`) and the request logger (`reqId`): the
 * caller's `x-request-id` when it looks sane, else a fresh UUID.
 */
export function requestIdFor(req: IncomingMessage): string {
  let id = ids.get(req);
  if (id === undefined) {
    const header = req.headers[REQUEST_ID_HEADER];
    id = typeof header === 'string' && TRUSTED_REQUEST_ID.test(header) ? header : randomUUID();
    ids.set(req, id);
  }
  return id;
}


// An id (`hunan`) or a GB/T 2260 code (`430000`); anything else (favicon.ico...) is not logged.
const PROVINCE_ID = /^(?:[a-z][a-z0-9-]{1,31}|\d{6})$/;

/** The province a URL addresses (`/api/v1/provinces/{id}/…` or `/{id}/…`), for the request log. */
export function provinceFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const path = url.split('?', 1)[0] ?? '';
  const segments = path.split('/').filter(Boolean);
  const candidate = segments[0] === 'api' ? (segments[1] === 'v1' && segments[2] === 'provinces' ? segments[3] : undefined) : segments[0];
  if (candidate === undefined || RESERVED_PROVINCE_IDS.has(candidate)) return undefined;
  return PROVINCE_ID.test(candidate) ? candidate : undefined;
}
