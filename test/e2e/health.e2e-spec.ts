import request from 'supertest';
import { solvedCaptcha } from '#test/support/hall-journey.js';
import { servicesMode, useTestApp } from '#test/support/test-app.js';

/** Request log lines, as JSON: the app logs at info into this array. */
const logLines: Array<Record<string, unknown>> = [];

const suite = useTestApp({ logLevel: 'info' }, { logger: { destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } } });

describe('GET /health', () => {
  it('is ok with the database up, the profiles loaded and the SMS queue up', async () => {
    const res = await request(suite.http).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', db: 'up', queue: { adapter: servicesMode() ? 'bullmq' : 'inline', status: 'up' }, profiles: { errors: [] } });
    expect((res.body as { profiles: { loaded: string[] } }).profiles.loaded).toContain('hunan');
  });

  it('names the profile version this node serves (a content hash any node with the same files agrees on) and which node answered', async () => {
    const res = await request(suite.http).get('/health').expect(200);
    expect(res.body).toMatchObject({
      profiles: {
        version: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        node: { id: expect.stringContaining(`:${process.pid}:`) as unknown, pid: process.pid },
        // Embedded PGlite is one process: nothing to tell.
        sync: servicesMode() ? { mechanism: 'postgres-listen', listening: true } : { mechanism: 'off', listening: false },
      },
    });
  });
});

describe('errors', () => {
  it('answers an unknown route with a coded Chinese 404', async () => {
    const res = await request(suite.http).get('/no/such/route').expect(404);
    expect(res.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: '未找到该地址' });
  });

  it('answers a malformed JSON body with a coded 400, not a stack', async () => {
    const res = await request(suite.http).post('/api/v1/admin/profiles/reload').set('content-type', 'application/json').send('{"broken":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'BAD_REQUEST', message: '请求格式有误' });
  });

  it('answers an unsupported content type with a coded 415', async () => {
    const res = await request(suite.http).post('/api/v1/admin/profiles/reload').set('content-type', 'text/x-unknown').send('hello');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的请求内容类型' });
  });

  it('answers an oversized body with a coded 413', async () => {
    const res = await request(suite.http)
      .post('/api/v1/admin/profiles/reload')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' });
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3 document with the product title at /api/docs-json', async () => {
    const res = await request(suite.http).get('/api/docs-json').expect(200).expect('content-type', /json/);
    const doc = res.body as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('省级医保服务大厅引擎 API');
    expect(doc.paths).toHaveProperty('/health');
  });

  it('serves the Swagger UI page at /api/docs', async () => {
    const res = await request(suite.http).get('/api/docs').expect(200).expect('content-type', /html/);
    expect(res.text).toContain('swagger-ui');
  });
});

describe('request ids and logs', () => {
  it('echoes a sane x-request-id and invents one otherwise', async () => {
    const given = await request(suite.http).get('/health').set('x-request-id', 'trace-42').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42');
    const invented = await request(suite.http).get('/health').set('x-request-id', 'bad id with spaces').expect(200);
    expect(invented.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs each request once with its id and province', async () => {
    await request(suite.http).get('/api/v1/provinces/hunan/no-such-page').set('x-request-id', 'log-check-1').expect(404);
    const lines = logLines.filter((line) => (line.req as { id?: string } | undefined)?.id === 'log-check-1' && line.msg === 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ province: 'hunan', res: { statusCode: 404 } });
    expect(JSON.stringify(lines[0])).not.toContain('headers');
  });

  it('puts the request’s id and province on the lines a service logs while serving it', async () => {
    // A failed login is audited, and the audit trail logs it, inside the request.
    const captcha = await solvedCaptcha(suite.http, 'jilin');
    await request(suite.http).post('/api/v1/provinces/jilin/sessions').set('x-request-id', 'log-check-2').send({ method: 'password', account: 'nobody2', password: 'Wrong#Pass1', ...captcha }).expect(401);
    const serviceLines = logLines.filter((line) => (line.req as { id?: string } | undefined)?.id === 'log-check-2' && line.msg !== 'request completed');
    expect(serviceLines.length).toBeGreaterThanOrEqual(1);
    expect(serviceLines[0]).toMatchObject({ province: 'jilin', req: { method: 'POST', url: '/api/v1/provinces/jilin/sessions' } });
  });

  it('does not log health probes', async () => {
    await request(suite.http).get('/health').set('x-request-id', 'probe-1').expect(200);
    expect(logLines.filter((line) => (line.req as { id?: string } | undefined)?.id === 'probe-1')).toEqual([]);
  });
});
