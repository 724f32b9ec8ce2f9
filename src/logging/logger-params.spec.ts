import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Options } from 'pino-http';
import type { AppConfig } from '#src/config/app-config.js';
import { loggerParams } from '#src/logging/logger-params.js';

const config = { logLevel: 'info', nodeEnv: 'production' } as AppConfig;

function httpOptions(): Options {
  const { pinoHttp } = loggerParams(config, { pretty: false });
  return pinoHttp as Options;
}

/** What Nest's Fastify middleware hands pino-http: `url` rewritten, `originalUrl` intact. */
const rewritten = (originalUrl: string) => ({ url: '/', originalUrl, headers: {} }) as unknown as IncomingMessage;

describe('loggerParams', () => {
  it('reads the province from the original URL, not the rewritten one', () => {
    expect(httpOptions().customProps?.(rewritten('/api/v1/provinces/jilin/captcha'), {} as ServerResponse)).toEqual({ province: 'jilin' });
  });

  it('skips health probes by their original URL', () => {
    const autoLogging = httpOptions().autoLogging as { ignore: (req: IncomingMessage) => boolean };
    expect(autoLogging.ignore(rewritten('/health'))).toBe(true);
    expect(autoLogging.ignore(rewritten('/hunan/'))).toBe(false);
  });

  it('logs 4xx at warn and 5xx at error', () => {
    const level = (statusCode: number) => httpOptions().customLogLevel?.({} as IncomingMessage, { statusCode } as ServerResponse, undefined);
    expect([level(200), level(404), level(503)]).toEqual(['info', 'warn', 'error']);
  });

  it('keeps headers (cookies, tokens) out of the log', () => {
    const serializers = httpOptions().serializers as Record<string, (value: unknown) => unknown>;
    expect(serializers.req?.({ id: 'r1', method: 'GET', url: '/x', headers: { cookie: 'sid=secret' } })).toEqual({ id: 'r1', method: 'GET', url: '/x' });
  });

  it('is never pretty in production', () => {
    expect(httpOptions()).not.toHaveProperty('transport');
    expect(loggerParams(config).pinoHttp).not.toHaveProperty('transport');
  });
});
