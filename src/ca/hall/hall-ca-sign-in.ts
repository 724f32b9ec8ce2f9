import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import { CaProofs, hallVendorIds } from '#src/ca/ca-proofs.service.js';
import { CaStore } from '#src/ca/ca-store.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/**
 * HN-1 机构登录 by CA certificate: the certificate proves itself (CaProofs) and its hall binding
 * (HN-8, made by the province administrator's approval) names the unit account. An unbound one is
 * told its signing certificate's serial number, which is what the binding request asks for.
 */
@Injectable()
export class HallCaSignIn {
  constructor(
    @Inject(CaProofs) private readonly proofs: CaProofs,
    @Inject(CaStore) private readonly store: CaStore,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /** The unit account the certificate is bound to; LoginService opens the session. */
  async unitOf(tenant: Tenant, body: unknown, origin: RequestOrigin): Promise<{ unitId: string; serial: string }> {
    const proven = await this.proofs.prove(tenant, hallVendorIds(tenant), body, origin, 'hall-login');
    const binding = await this.store.bindingOf(this.store.dataSource, tenant.provinceId, 'hall', proven.seen);
    if (!binding) {
      await this.audit.record(tenant.provinceId, origin, { kind: 'login.failed', outcome: 'failure', detail: { method: 'ca', reason: 'certificate-not-bound', serial: proven.seen.serial } });
      throw caException(
        CaErrorCode.NOT_BOUND,
        `该证书尚未绑定网上服务大厅账号。签名证书序列号：${proven.seen.serial}。请登录后在“CA 证书绑定”中提交单位名称、统一社会信用代码和该序列号，审核通过后即可使用证书登录`,
        undefined,
        { serial: proven.seen.serial, subject: proven.seen.subjectDn, bindingHref: `${tenant.basePath}/hall/ca-binding` },
      );
    }
    return { unitId: binding.accountId, serial: binding.serial };
  }
}
