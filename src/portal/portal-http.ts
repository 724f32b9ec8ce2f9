/**
 * The HTTP side of the portal, registered on Fastify before the app initialises: security headers
 * (CSP without inline scripts or styles), cookies and CSRF tokens for every page form, multipart
 * page forms, the static assets, and error pages — the one exception filter maps every error to
 * `{code, message}`, and for a person's browser on a page URL that answer is rendered as HTML.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { ErrorPages } from '#src/portal/error-pages.js';
import { ASSETS_PREFIX } from '#src/portal/portal-assets.js';
import { readMultipartForm } from '#src/portal/portal-form.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PAGE_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  // The demo serves plain http on any address; upgrading its requests to https would break it.
  upgradeInsecureRequests: null,
};
/** Swagger UI ships inline styles; only /api/docs gets them. */
const DOCS_CSP = "default-src 'self'; base-uri 'self'; font-src 'self' data:; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'";

/**
 * Helmet's headers for this policy, worked out once. @fastify/helmet builds a new helmet middleware
 * for every request (parsing the CSP directives each time: 5 % of a profile read); the headers
 * depend only on the options, so every answer gets the same precomputed set.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {
    finished = true;
  });
  // Helmet's middlewares are synchronous; one that were not would leave headers out.
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  return Object.freeze(headers);
}

const SECURITY_HEADERS = securityHeaders({ contentSecurityPolicy: { useDefaults: true, directives: PAGE_CSP } });

/** Page URLs: what is not the API, the health probe or a static file. */
export function isPagePath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return !(path.startsWith('/api/') || path === '/api' || path === '/health' || path.startsWith(ASSETS_PREFIX) || /\.(csv|css|js|json)$/.test(path));
}

/** A browser navigating asks for text/html; any other client keeps the JSON error. */
export function wantsHtml(request: FastifyRequest): boolean {
  return isPagePath(request.url) && (request.headers.accept ?? '').includes('text/html');
}

export async function registerPortalHttp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const errorPages = app.get(ErrorPages);
  const config = app.get<AppConfig>(APP_CONFIG);
  // Requests whose CSRF check failed: their 403 is shown as "page expired", not "forbidden".
  const csrfRejected = new WeakSet<FastifyRequest>();

  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(SECURITY_HEADERS);
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifyCsrfProtection, { cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: 'auto' } });
  await app.register(fastifyMultipart);
  await app.register(fastifyStatic, {
    root: join(resolve(config.templatesDir), 'assets'),
    prefix: ASSETS_PREFIX,
    // Swagger UI registers @fastify/static too; only one registration may decorate the reply.
    decorateReply: false,
    // URLs carry a content hash (PortalAssets), so a day of caching never serves a stale file.
    maxAge: '1d',
  });

  fastify.addHook('preValidation', async (request) => {
    if (isPagePath(request.url) && request.isMultipart()) request.body = await readMultipartForm(request);
  });

  fastify.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method) || !isPagePath(request.url)) {
      done();
      return;
    }
    // On failure the plugin answers 403 itself and never calls back: the mark stays.
    csrfRejected.add(request);
    fastify.csrfProtection(request, reply, () => {
      csrfRejected.delete(request);
      done();
    });
  });

  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: Error | null, payload?: unknown) => void) => {
    if (request.url.startsWith('/api/docs')) void reply.header('content-security-policy', DOCS_CSP);
    const type = String(reply.getHeader('content-type') ?? '');
    if (reply.statusCode < 400 || !type.startsWith('application/json') || !wantsHtml(request)) {
      done(null, payload);
      return;
    }
    try {
      const html = errorPages.render(request, reply.statusCode, parseErrorBody(payload), csrfRejected.has(request));
      void reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store');
      done(null, html);
    } catch {
      // The JSON error is still a correct answer when the page cannot be rendered.
      done(null, payload);
    }
  });
}

function parseErrorBody(payload: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
