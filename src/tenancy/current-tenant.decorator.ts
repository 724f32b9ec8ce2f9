import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { tenancyException, TenancyErrorCode } from '#src/tenancy/tenancy.exception.js';
import { tenantOfRequest } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** The request's province (TenantInterceptor must run on the route); 404 when there is none. */
export const CurrentTenant = createParamDecorator((_data: unknown, context: ExecutionContext): Tenant => {
  const tenant = tenantOfRequest(context.switchToHttp().getRequest<FastifyRequest>());
  if (!tenant) throw tenancyException(TenancyErrorCode.PROVINCE_REQUIRED);
  return tenant;
});

/** Like CurrentTenant, for routes that also work without a province (the root page). */
export const OptionalTenant = createParamDecorator((_data: unknown, context: ExecutionContext): Tenant | undefined =>
  tenantOfRequest(context.switchToHttp().getRequest<FastifyRequest>()),
);
