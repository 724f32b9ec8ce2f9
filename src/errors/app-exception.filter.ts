import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '#src/errors/app-exception.js';

/** The one error body: what a client may rely on. */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  [extra: string]: unknown;
}

/** Errors raised by Nest or Fastify themselves (no route, bad JSON, body too large...), by status. */
const HTTP_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'BAD_REQUEST', message: '请求格式有误' },
  401: { code: 'UNAUTHORIZED', message: '请先登录' },
  403: { code: 'FORBIDDEN', message: '没有权限执行此操作' },
  404: { code: 'ROUTE_NOT_FOUND', message: '未找到该地址' },
  405: { code: 'METHOD_NOT_ALLOWED', message: '不支持该请求方法' },
  406: { code: 'NOT_ACCEPTABLE', message: '无法提供所要求的内容格式' },
  408: { code: 'REQUEST_TIMEOUT', message: '请求超时' },
  409: { code: 'CONFLICT', message: '请求与当前状态冲突' },
  411: { code: 'LENGTH_REQUIRED', message: '请求缺少内容长度' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' },
  414: { code: 'URI_TOO_LONG', message: '请求地址过长' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的请求内容类型' },
  422: { code: 'UNPROCESSABLE_ENTITY', message: '请求内容无法处理' },
  429: { code: 'TOO_MANY_REQUESTS', message: '请求过于频繁，请稍后再试' },
  431: { code: 'REQUEST_HEADERS_TOO_LARGE', message: '请求头过大' },
  503: { code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' },
};
const OTHER_CLIENT_ERROR = { code: 'BAD_REQUEST', message: '请求无法处理' };

/** The coded body for an HTTP status, for errors answered outside Nest (the socket's clientError). */
export function httpErrorBody(status: number): ErrorBody {
  return { ...(HTTP_ERRORS[status] ?? OTHER_CLIENT_ERROR) };
}
const INTERNAL_ERROR = { code: 'INTERNAL_ERROR', message: '服务器内部错误' };

/**
 * AppException → its code, status and Chinese message; Nest/Fastify HTTP errors → a coded Chinese
 * equivalent; anything else → 500 INTERNAL_ERROR, logged with its stack and never shown.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(AppExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest | undefined>();
    const { status, body, headers } = this.toResponse(exception, request);
    if (reply.sent) return;
    void reply
      .status(status)
      .headers({ ...headers, 'content-type': 'application/json; charset=utf-8' })
      .send(body);
  }

  toResponse(exception: unknown, request?: FastifyRequest): { status: number; body: ErrorBody; headers: Record<string, string> } {
    if (isAppException(exception)) {
      const known = exception;
      const body: ErrorBody = { ...known.extra, code: known.code, message: known.message };
      if (known.fields && Object.keys(known.fields).length > 0) body.fields = known.fields;
      return { status: known.status, body, headers: retryAfter(known.extra) };
    }
    const status = httpStatusOf(exception);
    if (status !== undefined && status < 500) {
      return { status, body: { ...(HTTP_ERRORS[status] ?? OTHER_CLIENT_ERROR) }, headers: {} };
    }
    if (status === HttpStatus.SERVICE_UNAVAILABLE) {
      return { status, body: { ...(HTTP_ERRORS[status] ?? INTERNAL_ERROR) }, headers: {} };
    }
    const where = request ? `${request.method} ${request.url}` : 'unknown request';
    this.logger.error(`未处理的错误（${where}）：${describe(exception)}`, exception instanceof Error ? exception.stack : undefined);
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { ...INTERNAL_ERROR }, headers: {} };
  }
}

// A guard rather than a bare instanceof, which would type the code as `any`.
function isAppException(exception: unknown): exception is AppException {
  return exception instanceof AppException;
}

/** Nest's HttpException, or a Fastify error carrying `statusCode` (raised before Nest routes). */
function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const statusCode = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : undefined;
}

/** Rate limits put `retryAfterSeconds` in `extra`; HTTP clients also want it as a header. */
function retryAfter(extra: Record<string, unknown> | undefined): Record<string, string> {
  const seconds = extra?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? { 'retry-after': String(Math.ceil(seconds)) } : {};
}

function describe(exception: unknown): string {
  if (exception instanceof Error) return `${exception.name}: ${exception.message}`;
  try {
    return JSON.stringify(exception);
  } catch {
    return String(exception);
  }
}
