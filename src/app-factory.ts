import 'reflect-metadata';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from '#src/app.module.js';
import type { AppConfig } from '#src/config/app-config.js';
import type { Clock } from '#src/clock/clock.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';
import { httpErrorBody } from '#src/errors/app-exception.filter.js';
import type { LoggerOptions } from '#src/logging/logger-params.js';
import { registerRequestLog } from '#src/logging/request-log.js';
import { REQUEST_ID_HEADER, requestIdFor } from '#src/logging/request-context.js';
import { setupOpenApi } from '#src/openapi.js';
import { registerPortalHttp } from '#src/portal/portal-http.js';

/**
 * A request Node's parser refused before Fastify saw it (headers or request line too large,
 * malformed): answered with the same coded body as every other error.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify(httpErrorBody(status));
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export interface CreateAppOptions {
  logger?: LoggerOptions;
  /** The app's source of time (TTLs, rate-limit windows); tests pass a ManualClock. */
  clock?: Clock;
  /** Modules only a bench adds (a route without its guard, to measure the guard against). */
  extraModules?: ReadonlyArray<Type | DynamicModule>;
}

/**
 * The whole app for a config, initialised (database migrated, profiles loaded) but not listening:
 * main() listens on it, e2e tests drive it through supertest. The caller owns `app.close()`, which
 * also closes the database and frees the PGlite lock. On failure everything opened is closed again.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const embedded = config.database.kind === 'pglite' ? await EmbeddedDatabase.open(config.database.dataDir, config.database.initialDump) : undefined;
  let app: NestFastifyApplication | undefined;
  try {
    // `/hunan/` is a province's hall (DESIGN.md) while Nest declares routes without the slash.
    const adapter = new FastifyAdapter({ genReqId: requestIdFor, routerOptions: { ignoreTrailingSlash: true }, trustProxy: config.trustProxy ?? false, clientErrorHandler: answerClientError });
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, embedded, options.logger, options.clock, options.extraModules), adapter, {
      bufferLogs: true,
      // Throw instead of exiting the process: tests and main() report the error themselves.
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onRequest', (request, reply, done) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
    // The pino logger nestjs-pino made from loggerParams (read per request: it exists once the app initialised).
    registerRequestLog(fastify, () => PinoLogger.root);
    // Security headers, cookies, CSRF, page forms, assets, HTML error pages: before routes exist.
    await registerPortalHttp(app);
    setupOpenApi(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.close().catch(() => undefined);
    throw error;
  }
}
