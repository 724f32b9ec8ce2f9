import { createHmac } from 'node:crypto';

/**
 * Aliyun RPC-style ("POP") request signing, signature version 1.0 with HMAC-SHA1: percent-encode
 * every name and value (RFC 3986, only A-Z a-z 0-9 - _ . ~ left bare), sort by name, join as a
 * query string, then sign `METHOD&%2F&<encoded query>` with `AccessKeySecret&`.
 */
export function popEncode(value: string): string {
  // encodeURIComponent leaves ! ' ( ) * bare; POP wants them encoded. Space is already %20.
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${popEncode(name)}=${popEncode(params[name] ?? '')}`)
    .join('&');
}

export function stringToSign(method: 'GET' | 'POST', params: Readonly<Record<string, string>>): string {
  return `${method}&${popEncode('/')}&${popEncode(canonicalQuery(params))}`;
}

export function popSignature(method: 'GET' | 'POST', params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params)).digest('base64');
}

/** `2017-07-12T02:42:19Z`: ISO 8601 in UTC, no milliseconds. */
export function popTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
