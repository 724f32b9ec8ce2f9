/**
 * Driving the server-rendered pages as a browser without JavaScript would: GET a page, read its
 * CSRF token, POST its form urlencoded, follow what it answers.
 */
import type { Server } from 'node:http';
import request from 'supertest';

export interface Page {
  status: number;
  html: string;
  /** The page's first CSRF token (every form carries the same one). */
  token: string;
  location?: string | undefined;
  retryAfter?: string | undefined;
}

export function pageOf(res: request.Response): Page {
  return { status: res.status, html: res.text, token: /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '', location: res.headers.location, retryAfter: res.headers['retry-after'] };
}

export async function openPage(agent: request.Agent, path: string): Promise<Page> {
  return pageOf(await agent.get(path).set('Accept', 'text/html'));
}

export async function postForm(agent: request.Agent, path: string, fields: Record<string, string>): Promise<Page> {
  const res = await agent.post(path).set('Accept', 'text/html').type('form').send(new URLSearchParams(fields).toString());
  return pageOf(res);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Text as a browser shows it from escaped HTML: Handlebars writes `=` as `&#x3D;`, `'` as `&#x27;`
 * and so on, so a value read out of a page (a generated password, a link) must be decoded first.
 */
export function htmlText(escaped: string): string {
  return escaped.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z]+));/gi, (entity, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
    if (dec !== undefined) return String.fromCodePoint(Number.parseInt(dec, 10));
    return NAMED_ENTITIES[(name ?? '').toLowerCase()] ?? entity;
  });
}

/** The page's captcha, solved through the dev tools (as a person reads the picture). */
export async function pageCaptcha(http: Server, html: string): Promise<{ captchaId: string; captcha: string }> {
  const captchaId = /name="captchaId" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const dev = await request(http).get(`/api/v1/dev/captchas/${captchaId}`).expect(200);
  return { captchaId, captcha: (dev.body as { answer: string }).answer };
}
