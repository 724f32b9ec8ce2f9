import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AdministratorGuard, CurrentAdministrator } from '#src/administration/administrator.guard.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { requestOrigin } from '#src/audit/audit-log.js';
import { Public } from '#src/authz/public.decorator.js';
import { CaProofs } from '#src/ca/ca-proofs.service.js';
import { HallBindingRequests, type BindingRequestView, type HallBindingState, type RequestStatus } from '#src/ca/hall/hall-binding-requests.js';
import { ProcurementCaBindings, type CaAccountView } from '#src/ca/procurement/procurement-ca-bindings.js';
import { HallSession, HallSessionGuard } from '#src/identity/sessions/hall-session.guard.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { ProcurementActorService } from '#src/procurement/procurement-actor.service.js';
import { AnyProcurementAccount } from '#src/procurement/procurement-permission.guard.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const PROOF_BODY = {
  type: 'object',
  required: ['challengeId', 'certificate', 'signature'],
  properties: {
    challengeId: { type: 'string', title: '挑战码编号（POST …/ca-challenges）' },
    certificate: { type: 'string', title: '证书 PEM（签名证书在前，其后可附中间证书）' },
    signature: { type: 'string', title: '对挑战码 UTF-8 字节的签名，Base64 DER（RSA PKCS#1 v1.5 + SHA-256、ECDSA P-256 + SHA-256、SM2 + SM3 默认签名者标识）' },
  },
};

/** POST …/ca-challenges: the first step of every CA login and binding (DESIGN.md, API contract). */
@ApiTags('CA 证书')
@Controller('api/v1/provinces/:province')
@UseInterceptors(TenantInterceptor)
export class CaChallengeController {
  constructor(@Inject(CaProofs) private readonly proofs: CaProofs) {}

  @Public()
  @Post('ca-challenges')
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'CA 挑战码：→ 201 {challengeId, challenge, expiresInSeconds}；随机、5 分钟内有效、只能使用一次。随后用证书私钥对 challenge 的 UTF-8 字节签名，提交到 …/sessions 或 …/procurement/sessions（method: ca）' })
  @ApiResponse({ status: 404, description: 'CA_NOT_OFFERED：本省没有 CA 厂商' })
  challenge(@CurrentTenant() tenant: Tenant): Promise<{ challengeId: string; challenge: string; expiresInSeconds: number }> {
    return this.proofs.issueChallenge(tenant);
  }
}

/**
 * 账号管理 → CA绑定 / CA解绑 in the procurement subsystem (HN-11 way 2, HN-12). Each handler is one
 * call, so a route's menu policy is one decorator.
 */
@ApiTags('CA 证书')
@Controller('api/v1/provinces/:province/procurement/ca-bindings')
@UseInterceptors(TenantInterceptor)
// HN-12 decides here rather than a role's button: a main account binds for its sub-accounts, every account for itself.
@AnyProcurementAccount()
export class ProcurementCaBindingsController {
  constructor(
    @Inject(ProcurementCaBindings) private readonly bindings: ProcurementCaBindings,
    @Inject(ProcurementActorService) private readonly actors: ProcurementActorService,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '账号管理中的 CA 绑定（HN-11、HN-12）：本账号可绑定/解绑的账号（主账号：本账号及本单位子账号；子账号：仅本账号）及其绑定的证书' })
  async list(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession): Promise<{ accounts: CaAccountView[] }> {
    return { accounts: await this.bindings.list(tenant, await this.actors.describe(tenant, session)) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'CA绑定（HN-11 方式 2）：{accountId?, challengeId, certificate, signature} → 201 该账号及其证书；须用证书私钥签名新挑战码' })
  @ApiBody({ schema: { ...PROOF_BODY, properties: { accountId: { type: 'string', title: '要绑定的账号（省略为本账号）' }, ...PROOF_BODY.properties } } })
  @ApiResponse({ status: 403, description: 'CA_BINDING_NOT_ALLOWED（HN-12）、CA_WRONG_UNIT' })
  @ApiResponse({ status: 409, description: 'CA_BOUND_ELSEWHERE：证书已绑定其他账号；CA_ACCOUNT_ALREADY_BOUND：账号已绑定证书' })
  async bind(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest): Promise<CaAccountView> {
    return this.bindings.bind(tenant, await this.actors.describe(tenant, session), body, requestOrigin(request));
  }

  @Delete(':accountId')
  @HttpCode(204)
  @ApiOperation({ summary: 'CA解绑（HN-11、HN-12）→ 204' })
  async unbind(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Param('accountId') accountId: string, @Req() request: FastifyRequest): Promise<void> {
    await this.bindings.unbind(tenant, await this.actors.describe(tenant, session), accountId, requestOrigin(request));
  }
}

/** HN-8 网厅 CA 绑定申请, by the unit account. */
@ApiTags('CA 证书')
@Controller('api/v1/provinces/:province/hall/ca-binding-requests')
@UseInterceptors(TenantInterceptor)
@UseGuards(HallSessionGuard)
export class HallCaBindingRequestsController {
  constructor(@Inject(HallBindingRequests) private readonly requests: HallBindingRequests) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本单位的网厅 CA 绑定（HN-8）：已绑定的证书、申请及审核结果、24 小时（工作日）的生效承诺' })
  state(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession): Promise<HallBindingState> {
    return this.requests.state(tenant, session);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '提交网厅 CA 绑定申请（HN-8）：{unitName, uscc, serial} → 201 {requestId, status, dueAt…}；序列号来自 CA 登录时提示的未绑定序列号' })
  @ApiResponse({ status: 409, description: 'CA_REQUEST_PENDING、CA_BOUND_ELSEWHERE' })
  submit(@CurrentTenant() tenant: Tenant, @HallSession() session: LiveSession, @Body() body: unknown, @Req() request: FastifyRequest): Promise<BindingRequestView> {
    return this.requests.submit(tenant, session, body, requestOrigin(request));
  }
}

/** The province administrator's review queue of HN-8 requests. */
@ApiTags('CA 证书')
@Controller('api/v1/provinces/:province/admin/ca-binding-requests')
@UseInterceptors(TenantInterceptor)
@UseGuards(AdministratorGuard)
export class AdminCaBindingRequestsController {
  constructor(@Inject(HallBindingRequests) private readonly requests: HallBindingRequests) {}

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '网厅 CA 绑定申请（HN-8）：?status=pending（默认）|approved|rejected|all' })
  async queue(@CurrentTenant() tenant: Tenant, @Query('status') status: unknown): Promise<{ requests: BindingRequestView[] }> {
    const wanted = (['pending', 'approved', 'rejected', 'all'] as const).find((s) => s === status) ?? 'pending';
    return { requests: await this.requests.queue(tenant, wanted satisfies RequestStatus | 'all') };
  }

  @Post(':requestId/approval')
  @HttpCode(200)
  @ApiOperation({ summary: '通过：绑定证书到该单位的网厅账号（替换其原有证书）' })
  approve(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('requestId') requestId: string, @Req() request: FastifyRequest): Promise<BindingRequestView> {
    return this.requests.approve(tenant, administrator.id, requestId, requestOrigin(request));
  }

  @Post(':requestId/rejection')
  @HttpCode(200)
  @ApiOperation({ summary: '驳回：{reason}，单位可在绑定页面看到原因' })
  reject(@CurrentTenant() tenant: Tenant, @CurrentAdministrator() administrator: AdministratorRecord, @Param('requestId') requestId: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<BindingRequestView> {
    return this.requests.reject(tenant, administrator.id, requestId, body, requestOrigin(request));
  }
}
