import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An answer made once — JSON serialised, a page rendered — with its type and the entity tag of its bytes. */
export interface CachedDocument {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * Documents that change only when the profile set does (profiles, schema, comparisons, the public
 * pages) may be stored, but must be revalidated every time: a reload elsewhere must show at once,
 * and answering If-None-Match costs a header compare.
 */
export const REVALIDATE = 'public, no-cache';

export function cachedDocument(text: string, type: string): CachedDocument {
  const body = Buffer.from(text, 'utf8');
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
}

export function jsonDocument(value: unknown): CachedDocument {
  return cachedDocument(JSON.stringify(value), 'application/json; charset=utf-8');
}

/** Whether an If-None-Match header names this tag (a list, weak tags and `*` included, RFC 9110 §13.1.2). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** 200 with the document's bytes, or 304 without them when the client already holds this version. */
export function sendDocument(request: FastifyRequest, reply: FastifyReply, document: CachedDocument, cacheControl = REVALIDATE): FastifyReply {
  void reply.header('etag', document.etag).header('cache-control', cacheControl);
  if (etagMatches(request.headers['if-none-match'], document.etag)) return reply.code(304).send();
  return reply.type(document.type).send(document.body);
}

/**
 * Documents built from one immutable value (a profile set): kept as long as that value is the
 * current one, then dropped with it. `limit` bounds documents keyed by a client's query.
 */
export class DocumentCache<Source extends object> {
  private readonly bySource = new WeakMap<Source, Map<string, CachedDocument>>();

  constructor(private readonly limit = 256) {}

  get(source: Source, key: string, build: () => CachedDocument): CachedDocument {
    let documents = this.bySource.get(source);
    if (!documents) {
      documents = new Map();
      this.bySource.set(source, documents);
    }
    let document = documents.get(key);
    if (!document) {
      document = build();
      if (documents.size >= this.limit) documents.delete(documents.keys().next().value ?? key);
      documents.set(key, document);
    }
    return document;
  }
}
