import { jest } from '@jest/globals';
import { BadRequestException, HttpException, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { AppExceptionFilter } from '#src/errors/app-exception.filter.js';
import { exceptionFactory } from '#src/errors/app-exception.js';

const sample = exceptionFactory({
  SMS_TOO_OFTEN: { status: 429, message: '验证码发送过于频繁' },
  FORM_INVALID: { status: 400, message: '填写有误' },
});

interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
}

function run(exception: unknown, sent = false): Sent {
  const out: Sent = { headers: {} };
  const reply = {
    sent,
    status(code: number) {
      out.status = code;
      return reply;
    },
    headers(values: Record<string, string>) {
      Object.assign(out.headers, values);
      return reply;
    },
    send(body: unknown) {
      out.body = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ method: 'GET', url: '/x' }) }),
  } as unknown as ArgumentsHost;
  new AppExceptionFilter().catch(exception, host);
  return out;
}

describe('AppExceptionFilter', () => {
  let errorLog: jest.Spied<Logger['error']>;

  beforeEach(() => {
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    errorLog.mockRestore();
  });

  it('maps an AppException to its status, code, message, fields and extra', () => {
    const out = run(sample('FORM_INVALID', undefined, { phone: '手机号格式不正确' }, { step: 2 }));
    expect(out.status).toBe(400);
    expect(out.body).toEqual({ code: 'FORM_INVALID', message: '填写有误', fields: { phone: '手机号格式不正确' }, step: 2 });
  });

  it('uses the detail message, keeps code/message over extra, and sets Retry-After', () => {
    const out = run(sample('SMS_TOO_OFTEN', '请 42 秒后再试', undefined, { retryAfterSeconds: 41.2, code: 'spoofed' }));
    expect(out.status).toBe(429);
    expect(out.body).toEqual({ code: 'SMS_TOO_OFTEN', message: '请 42 秒后再试', retryAfterSeconds: 41.2 });
    expect(out.headers['retry-after']).toBe('42');
  });

  it('omits empty fields', () => {
    expect(run(sample('FORM_INVALID', undefined, {})).body).toEqual({ code: 'FORM_INVALID', message: '填写有误' });
  });

  it.each([
    [new NotFoundException('Cannot GET /nope'), 404, 'ROUTE_NOT_FOUND', '未找到该地址'],
    [new BadRequestException('Unexpected token } in JSON'), 400, 'BAD_REQUEST', '请求格式有误'],
    [new HttpException('Payload Too Large', 413), 413, 'PAYLOAD_TOO_LARGE', '请求内容过大'],
    [Object.assign(new Error('Unsupported Media Type: text/x'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), 415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型'],
    [new HttpException('teapot', 418), 418, 'BAD_REQUEST', '请求无法处理'],
  ])('maps %p to a coded Chinese %i', (exception, status, code, message) => {
    const out = run(exception);
    expect(out.status).toBe(status);
    expect(out.body).toEqual({ code, message });
    expect(errorLog).not.toHaveBeenCalled();
  });

  it('turns anything else into a logged 500 that leaks nothing', () => {
    const out = run(new TypeError('secret internals at /srv/app.ts:12'));
    expect(out.status).toBe(500);
    expect(out.body).toEqual({ code: 'INTERNAL_ERROR', message: '服务器内部错误' });
    expect(errorLog).toHaveBeenCalledTimes(1);
    expect(errorLog.mock.calls[0]?.[1]).toContain('TypeError: secret internals');
  });

  it('treats a thrown non-error value as a 500 too', () => {
    expect(run('just a string').status).toBe(500);
    expect(run(undefined).status).toBe(500);
  });

  it('does not write to a reply that was already sent', () => {
    expect(run(new Error('late'), true).status).toBeUndefined();
  });
});
