import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '#src/config/app-config.js';
import { provinceFromUrl, requestIdFor } from '#src/logging/request-context.js';

export interface LoggerOptions {
  /** Where log lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Human-readable lines: by default only for a person at a terminal, never in production. */
  pretty?: boolean;
}

/**
 * nestjs-pino settings: JSON lines, one line per request carrying its id and province, and no
 * headers (cookies, tokens) in the log.
 */
export function loggerParams(config: AppConfig, options: LoggerOptions = {}): Params {
  const pretty = options.pretty ?? (Boolean(process.stdout.isTTY) && config.nodeEnv !== 'production' && !options.destination);
  const httpOptions = {
    level: config.logLevel,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
    customProps: (req: IncomingMessage) => ({ province: provinceFromUrl(requestPath(req)) }),
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => {
      if (error || res.statusCode >= 500) return 'error' as const;
      return res.statusCode >= 400 ? ('warn' as const) : ('info' as const);
    },
    // Probes hit /health every few seconds; what it finds is in its answer, not the log.
    autoLogging: { ignore: (req: IncomingMessage) => requestPath(req) === '/health' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
  return {
    pinoHttp: options.destination ? [httpOptions, options.destination] : httpOptions,
    // nestjs-pino's default route, `{/*splat}`, only matches `/` under @nestjs/platform-fastify 12.5:
    // every other request went unlogged.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}

/** Nest's Fastify middleware rewrites `req.url` while it runs; `originalUrl` keeps what was asked. */
function requestPath(req: IncomingMessage): string | undefined {
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
}
