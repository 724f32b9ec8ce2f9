/**
 * What the identity pages share: reading an urlencoded page form, turning a coded AppException into
 * errors beside the inputs, the captcha block, the `next` after login (same site, same province,
 * never an open redirect), and sending a page or a 303.
 */
import type { FastifyReply } from 'fastify';
import { AppException } from '#src/errors/app-exception.js';
import { HTML } from '#src/portal/portal.controller.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import type { CaptchaService } from '#src/verification/captcha.service.js';
import { asRecord, text } from '#src/identity/request-body.js';

/** Field errors keyed by the input's `name`, plus the message of the alert at the top. */
export interface FormErrors {
  fields: Record<string, string>;
  alert?: string | undefined;
}

export interface CaptchaView {
  captchaId: string;
  /** The SVG as a data URI: an <img> needs no inline style or script, and the CSP allows data: images. */
  src: string;
  expiresInSeconds: number;
}

export type PageOutcome = { html: string; status: number } | { redirect: string };

/** The value of a form field: the first, when the browser sent several; '' when none. */
export function formText(body: unknown, name: string): string {
  const value = asRecord(body)[name];
  // A field sent twice (a tampered form) counts once.
  return text(Array.isArray(value) ? (value as unknown[])[0] : value);
}

/** The coded, user-caused error (4xx) of a service call; anything else is rethrown by the caller. */
export function userError(error: unknown): AppException | undefined {
  return error instanceof AppException && error.status >= 400 && error.status < 500 ? error : undefined;
}

/** Whether a coded error is the one named (the codes are each domain's string enum). */
export function hasCode(error: AppException, code: string): boolean {
  return error.code === code;
}

/**
 * The exception's field messages under the names of the page's inputs. `aliases` maps a service's
 * key to an input (`captchaId` → `captcha`, the SMS API's `phone` → `operator.mobile`); a key the
 * page has no input for stays in the list and the page shows it in its summary.
 */
export function errorsOf(error: AppException, aliases: Readonly<Record<string, string>> = {}): FormErrors {
  const fields: Record<string, string> = {};
  for (const [key, message] of Object.entries(error.fields ?? {})) {
    const name = aliases[key] ?? (key === 'captchaId' ? 'captcha' : key);
    fields[name] ??= message;
  }
  return { fields, alert: error.message };
}

export async function issueCaptcha(captchas: CaptchaService, tenant: Tenant): Promise<CaptchaView> {
  const issued = await captchas.issue(tenant.provinceId);
  return { captchaId: issued.captchaId, src: svgDataUri(issued.svg), expiresInSeconds: issued.expiresInSeconds };
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** Pages a login must not return to: they would only send the visitor round again. */
const NOT_AFTER_LOGIN = ['login', 'logout', 'choose-unit', 'choose-institution', 'register'];
const SAFE_PATH = /^\/[A-Za-z0-9\-._~/%?=&]*$/;

/**
 * Where to go after login: only a path of this site under the province's own base (`/hunan/…`, or
 * any path on the province's own host), never `//evil.example`, `/\evil`, a scheme or another
 * province; undefined otherwise.
 */
export function safeNext(value: unknown, tenant: Tenant): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 300) return undefined;
  // Encoded dots and slashes would let a browser walk out of the province's base (`/jilin/%2e%2e/…`).
  if (!SAFE_PATH.test(value) || value.startsWith('//') || value.includes('/..') || /%(2e|2f|5c)/i.test(value)) return undefined;
  const base = tenant.basePath;
  if (base && !(value === base || value.startsWith(`${base}/`) || value.startsWith(`${base}?`))) return undefined;
  const rest = value.slice(base.length).replace(/^\//, '');
  const first = rest.split(/[/?]/, 1)[0] ?? '';
  return NOT_AFTER_LOGIN.includes(first) ? undefined : value;
}

/** `?next=…` for a link or redirect that carries the page to return to. */
export function withNext(path: string, next: string | undefined): string {
  return next ? `${path}${path.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}` : path;
}

/** Pages with forms or a session are never cached (the handlers set the same header). */
export function send(reply: FastifyReply, outcome: PageOutcome): void {
  void reply.header('cache-control', 'no-store');
  if ('redirect' in outcome) {
    void reply.redirect(outcome.redirect, 303);
    return;
  }
  void reply.status(outcome.status).type(HTML).send(outcome.html);
}

/** Locked and rate-limited answers tell the browser when to come back, as the API does. */
export function retryAfter(reply: FastifyReply, error: AppException): void {
  const seconds = error.extra?.retryAfterSeconds;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) void reply.header('retry-after', String(Math.ceil(seconds)));
}
