import type { Options } from 'pino-http';
import type { AppConfig } from '#src/config/app-config.js';
import { loggerParams } from '#src/logging/logger-params.js';
import { isHealthProbe, requestLogLevel } from '#src/logging/request-log.js';

const config = { logLevel: 'info', nodeEnv: 'production' } as AppConfig;

function httpOptions(): Options {
  const { pinoHttp } = loggerParams(config, { pretty: false });
  return pinoHttp as Options;
}

describe('loggerParams and the request log', () => {
  it('skips health probes, with or without a query', () => {
    expect(isHealthProbe('/health')).toBe(true);
    expect(isHealthProbe('/health?full=1')).toBe(true);
    expect(isHealthProbe('/hunan/')).toBe(false);
  });

  it('logs 4xx at warn and 5xx at error', () => {
    expect([requestLogLevel(200), requestLogLevel(304), requestLogLevel(404), requestLogLevel(503)]).toEqual(['info', 'info', 'warn', 'error']);
  });

  it('keeps headers (cookies, tokens) out of the log', () => {
    const serializers = httpOptions().serializers as Record<string, (value: unknown) => unknown>;
    expect(serializers.req?.({ id: 'r1', method: 'GET', url: '/x', headers: { cookie: 'sid=secret' } })).toEqual({ id: 'r1', method: 'GET', url: '/x' });
  });

  it('mounts no per-request middleware: the request log comes from Fastify hooks', () => {
    expect(loggerParams(config).forRoutes).toEqual([]);
  });

  it('is never pretty in production', () => {
    expect(httpOptions()).not.toHaveProperty('transport');
    expect(loggerParams(config).pinoHttp).not.toHaveProperty('transport');
  });
});
