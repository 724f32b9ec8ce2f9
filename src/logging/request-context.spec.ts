import type { IncomingMessage } from 'node:http';
import { provinceFromUrl, requestIdFor } from '#src/logging/request-context.js';

describe('provinceFromUrl', () => {
  it.each([
    ['/api/v1/provinces/hunan/sms-codes', 'hunan'],
    ['/api/v1/provinces/430000', '430000'],
    ['/xizang/', 'xizang'],
    ['/jilin/register?step=2', 'jilin'],
    ['/api/v1/compare?provinces=a,b', undefined],
    ['/api/docs', undefined],
    ['/health', undefined],
    ['/compare', undefined],
    ['/support', undefined],
    ['/assets/portal.css', undefined],
    ['/dev/sms-outbox', undefined],
    ['/', undefined],
    ['/favicon.ico', undefined],
    ['/Robots', undefined],
    [undefined, undefined],
  ])('%s → %s', (url, province) => {
    expect(provinceFromUrl(url)).toBe(province);
  });
});

describe('requestIdFor', () => {
  const req = (header?: string) => ({ headers: header === undefined ? {} : { 'x-request-id': header } }) as IncomingMessage;

  it('keeps a plain caller id', () => {
    expect(requestIdFor(req('abc-123.x:y'))).toBe('abc-123.x:y');
  });

  it('replaces a missing, long or odd id with a UUID', () => {
    for (const header of [undefined, 'x'.repeat(200), 'has space', 'line\nbreak']) {
      expect(requestIdFor(req(header))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('gives the same id every time for one request', () => {
    const one = req();
    expect(requestIdFor(one)).toBe(requestIdFor(one));
  });
});
