/**
 * Page forms arrive urlencoded or, when they carry files, as multipart. Multipart bodies of page
 * routes are read here, before the CSRF check, into the same shape as an urlencoded body plus
 * files, with tight limits; API routes keep @fastify/multipart's streaming for their own use.
 */
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';

export interface UploadedFile {
  kind: 'file';
  filename: string;
  /** What the browser claimed; never trusted (feedback sniffs the bytes). */
  declaredType: string;
  data: Buffer;
  /** The file was longer than the limit; `data` holds only its beginning. */
  truncated: boolean;
}

export type FormValue = string | UploadedFile;
export type PortalFormBody = Record<string, FormValue | FormValue[]>;

export const PORTAL_FORM_LIMITS = {
  /** Per file: screenshots. */
  fileSize: 2 * 1024 * 1024,
  files: 8,
  fields: 40,
  fieldSize: 16 * 1024,
  parts: 48,
} as const;

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'file';
}

export async function readMultipartForm(request: FastifyRequest): Promise<PortalFormBody> {
  const body: PortalFormBody = Object.create(null) as PortalFormBody;
  // throwFileSizeLimit false: an oversized screenshot is a field error shown on the form, not a 413 page.
  const options = { limits: PORTAL_FORM_LIMITS, throwFileSizeLimit: false } as Parameters<FastifyRequest['parts']>[0];
  for await (const part of request.parts(options)) {
    let value: FormValue;
    if (part.type === 'file') {
      const data = await part.toBuffer();
      // A file input left empty still sends a part, with no name and no bytes.
      if (!part.filename && data.length === 0) continue;
      value = { kind: 'file', filename: part.filename, declaredType: part.mimetype, data, truncated: part.file.truncated };
    } else {
      value = typeof part.value === 'string' ? part.value : '';
    }
    const existing = body[part.fieldname];
    body[part.fieldname] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return body;
}
