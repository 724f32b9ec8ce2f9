import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '#src/config/app-config.js';
import { requestLogFields } from '#src/logging/request-log.js';

export interface LoggerOptions {
  /** Where log lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Human-readable lines: by default only for a person at a terminal, never in production. */
  pretty?: boolean;
}

/**
 * nestjs-pino settings: JSON lines, no headers (cookies, tokens) in the log. Its per-request
 * middleware is not mounted: src/logging/request-log.ts writes the request lines from Fastify's hooks
 * and puts the request's id and province on every line through `mixin`.
 */
export function loggerParams(config: AppConfig, options: LoggerOptions = {}): Params {
  const pretty = options.pretty ?? (Boolean(process.stdout.isTTY) && config.nodeEnv !== 'production' && !options.destination);
  const httpOptions = {
    level: config.logLevel,
    mixin: requestLogFields,
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
    forRoutes: [],
  };
}
