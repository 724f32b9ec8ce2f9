import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { authzException, AuthzErrorCode } from '#src/authz/authz.exception.js';

/** Province administrators' endpoints, until administrator accounts exist: a bearer token from env. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminToken;
    if (!expected) throw authzException(AuthzErrorCode.ADMIN_DISABLED);
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
    // Compare digests so that neither the length nor the content leaks through timing.
    if (!timingSafeEqual(digest(given), digest(expected))) throw authzException(AuthzErrorCode.ADMIN_TOKEN_INVALID);
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
