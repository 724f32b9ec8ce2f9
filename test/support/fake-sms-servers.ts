import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { popSignature } from '#src/sms/providers/aliyun-signer.js';
import { tc3Sign } from '#src/sms/providers/tencent-signer.js';

export interface FakeProvider {
  url: string;
  /** Every request that passed the signature check, in arrival order. */
  received: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown } | { status: number; raw: string } | 'hang';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(handler: (request: IncomingMessage, body: string) => Answer, received: FakeProvider['received']): Promise<FakeProvider> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void readBody(request).then((body) => {
      const answer = handler(request, body);
      if (answer === 'hang') return;
      response.statusCode = answer.status;
      if ('raw' in answer) {
        response.setHeader('content-type', 'text/html');
        response.end(answer.raw);
      } else {
        response.setHeader('content-type', 'application/json;charset=utf-8');
        response.end(JSON.stringify(answer.body));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Stands in for dysmsapi.aliyuncs.com: checks the POP signature of the form POST like Aliyun does,
 * then answers by phone number — 139…0 OK; …1 isv.BUSINESS_LIMIT_CONTROL; …2 isp.SYSTEM_ERROR
 * (HTTP 500); …3 a gateway's HTML 502; …4 never answers; …5 isv.MOBILE_NUMBER_ILLEGAL.
 */
export function fakeAliyun(accessKeySecret: string): Promise<FakeProvider> {
  const received: FakeProvider['received'] = [];
  return listen((request, body) => {
    const params = Object.fromEntries(new URLSearchParams(body));
    if (request.method !== 'POST' || !params.Signature || popSignature('POST', params, accessKeySecret) !== params.Signature) {
      return { status: 400, body: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.', RequestId: 'r-sig' } };
    }
    received.push(params);
    const requestId = `req-${received.length}`;
    switch ((params.PhoneNumbers ?? '').at(-1)) {
      case '1':
        return { status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控Permits:10', RequestId: requestId } };
      case '2':
        return { status: 500, body: { Code: 'isp.SYSTEM_ERROR', Message: 'isp.SYSTEM_ERROR', RequestId: requestId } };
      case '3':
        return { status: 502, raw: '<html><body>502 Bad Gateway</body></html>' };
      case '4':
        return 'hang';
      case '5':
        return { status: 200, body: { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: requestId } };
      default:
        return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: `biz-${received.length}`, RequestId: requestId } };
    }
  }, received);
}

/**
 * Stands in for sms.tencentcloudapi.com: recomputes the TC3 signature from the headers and body,
 * then answers by phone number — …0 Ok; …1 LimitExceeded.PhoneNumberThirtySecondLimit;
 * …2 InternalError.Timeout (request-level error); …3 HTML 502; …4 never answers.
 */
export function fakeTencent(secretId: string, secretKey: string): Promise<FakeProvider> {
  const received: FakeProvider['received'] = [];
  return listen((request, body) => {
    const timestamp = Number(request.headers['x-tc-timestamp']);
    const expected = tc3Sign({ secretId, secretKey, service: 'sms', host: request.headers.host ?? '', contentType: String(request.headers['content-type']), payload: body, timestamp });
    if (request.headers.authorization !== expected.authorization || request.headers['x-tc-action'] !== 'SendSms' || request.headers['x-tc-version'] !== '2021-01-11') {
      return { status: 200, body: { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'The provided credentials could not be validated.' }, RequestId: 'r-sig' } } };
    }
    const payload = JSON.parse(body) as { PhoneNumberSet: string[]; SessionContext?: string };
    received.push({ ...payload, region: request.headers['x-tc-region'] });
    const phone = payload.PhoneNumberSet[0] ?? '';
    const requestId = `req-${received.length}`;
    switch (phone.at(-1)) {
      case '1':
        return { status: 200, body: { Response: { SendStatusSet: [{ SerialNo: '', PhoneNumber: phone, Fee: 0, SessionContext: payload.SessionContext, Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', Message: '单个手机号30秒内下发短信条数超过设定的上限', IsoCode: 'CN' }], RequestId: requestId } } };
      case '2':
        return { status: 200, body: { Response: { Error: { Code: 'InternalError.Timeout', Message: '请求下发短信超时' }, RequestId: requestId } } };
      case '3':
        return { status: 502, raw: '<html><body>502 Bad Gateway</body></html>' };
      case '4':
        return 'hang';
      default:
        return { status: 200, body: { Response: { SendStatusSet: [{ SerialNo: `5000:${received.length}`, PhoneNumber: phone, Fee: 1, SessionContext: payload.SessionContext, Code: 'Ok', Message: 'send success', IsoCode: 'CN' }], RequestId: requestId } } };
    }
  }, received);
}
