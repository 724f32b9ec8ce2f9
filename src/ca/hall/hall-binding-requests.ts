import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import { hallVendorIds } from '#src/ca/ca-proofs.service.js';
import { CaStore, type SeenCertificate } from '#src/ca/ca-store.js';
import { dueTime } from '#src/ca/hall/working-hours.js';
import { bindingView, type CaBindingView } from '#src/ca/procurement/procurement-ca-bindings.js';
import { normaliseSerial } from '#src/ca/pki/x509.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { AccountsRepository, isUuid, type UnitRecord } from '#src/identity/accounts.repository.js';
import { asRecord, text } from '#src/identity/request-body.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { queryRows, type Queryable } from '#src/sms/queryable.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export type RequestStatus = 'pending' | 'approved' | 'rejected';

export interface BindingRequestView {
  requestId: string;
  unitId: string;
  unitName: string;
  uscc: string;
  serial: string;
  status: RequestStatus;
  submittedAt: string;
  /** When the profile's promise (24 working hours, HN-8) falls due. */
  dueAt: string;
  decidedAt: string | undefined;
  reason: string | undefined;
  certificate: { subject: string; issuer: string; notAfter: string; subjectUscc: string | undefined };
  /** Whether the certificate's subject carries the unit's credit code (undefined: it carries none). */
  usccMatches: boolean | undefined;
}

export interface HallBindingState {
  binding: CaBindingView | undefined;
  requests: BindingRequestView[];
  promise: { hours: number; workingDaysOnly: boolean; submitFields: string[] };
}

interface RequestRow {
  id: string;
  unit_id: string;
  unit_name: string;
  uscc: string;
  serial: string;
  status: RequestStatus;
  submitted_at: Date | string;
  due_at: Date | string;
  decided_at: Date | string | null;
  reason: string | null;
  issuer_key: string;
  subject_dn: string;
  issuer_dn: string;
  not_after: Date | string;
  subject_uscc: string | null;
}

const COLUMNS = `r.id, r.unit_id, r.unit_name, r.uscc, r.serial, r.status, r.submitted_at, r.due_at, r.decided_at, r.reason, r.issuer_key, c.subject_dn, c.issuer_dn, c.not_after, c.subject_uscc`;
const FROM = `ca_binding_requests r JOIN ca_certificates c ON c.province_id = r.province_id AND c.issuer_key = r.issuer_key AND c.serial = r.serial`;
const MAX_REASON = 200;
const MAX_NAME = 100;

/**
 * HN-8 网厅 CA 绑定: the unit account sends its unit name, credit code and the signing certificate's
 * serial (read from the "unbound" answer of a CA login, which also records the certificate); the
 * province administrator approves (the hall binding is made, replacing the unit's earlier one) or
 * rejects with a reason the unit sees. The due time is fixed at submission from the vendor's SLA.
 */
@Injectable()
export class HallBindingRequests {
  constructor(
    @Inject(CaStore) private readonly store: CaStore,
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async state(tenant: Tenant, session: LiveSession): Promise<HallBindingState> {
    const unit = await this.unitOf(tenant, session);
    const [binding] = await this.store.bindingsOfAccounts(this.store.dataSource, tenant.provinceId, 'hall', [unit.id]);
    const rows = await queryRows<RequestRow>(this.store.dataSource, `SELECT ${COLUMNS} FROM ${FROM} WHERE r.province_id = $1 AND r.unit_id = $2 ORDER BY r.submitted_at DESC, r.id LIMIT 20`, [tenant.provinceId, unit.id]);
    const sla = this.sla(tenant);
    return { binding: binding && bindingView(binding), requests: rows.map(toView), promise: { hours: sla.slaHours, workingDaysOnly: sla.slaWorkingDaysOnly, submitFields: sla.submitFields } };
  }

  async submit(tenant: Tenant, session: LiveSession, body: unknown, origin: RequestOrigin): Promise<BindingRequestView> {
    const unit = await this.unitOf(tenant, session);
    const sla = this.sla(tenant);
    const value = asRecord(body);
    const unitName = text(value.unitName).trim();
    const uscc = text(value.uscc).trim().toUpperCase();
    const serial = normaliseSerial(text(value.serial));
    const fields: Record<string, string> = {};
    if (!unitName) fields.unitName = '请输入单位名称';
    else if (unitName.length > MAX_NAME || unitName !== unit.name) fields.unitName = '单位名称与本单位登记的名称不一致';
    if (!uscc) fields.uscc = '请输入统一社会信用代码';
    else if (uscc !== unit.uscc) fields.uscc = '统一社会信用代码与本单位不一致';
    if (!serial) fields.serial = '请输入签名证书序列号（十六进制）';
    if (Object.keys(fields).length > 0 || !serial) throw caException(CaErrorCode.REQUEST_INVALID, undefined, fields);

    const certificate = await this.certificateBySerial(tenant, serial);
    if (certificate.subjectUscc && certificate.subjectUscc !== unit.uscc) throw caException(CaErrorCode.WRONG_UNIT, `证书所属单位（统一社会信用代码 ${certificate.subjectUscc}）与本单位不一致`, { serial: '证书不属于本单位' });
    const bound = await this.store.bindingOf(this.store.dataSource, tenant.provinceId, 'hall', certificate);
    if (bound) throw bound.accountId === unit.id ? caException(CaErrorCode.REQUEST_INVALID, '该证书已绑定本单位，可直接使用 CA 登录', { serial: '该证书已绑定本单位' }) : caException(CaErrorCode.BOUND_ELSEWHERE);

    const id = randomUUID();
    const now = this.clock.now();
    const due = dueTime(now, sla.slaHours, sla.slaWorkingDaysOnly);
    try {
      await this.store.dataSource.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO ca_binding_requests (id, province_id, unit_id, unit_name, uscc, issuer_key, serial, status, submitted_by, submitted_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10)`,
          [id, tenant.provinceId, unit.id, unit.name, unit.uscc, certificate.issuerKey, certificate.serial, `unit:${unit.id}`, now, due],
        );
        await this.audit.record(tenant.provinceId, origin, { kind: 'ca.binding-requested', outcome: 'success', actorKind: 'unit', actorId: unit.id, unitId: unit.id, detail: { serial: certificate.serial, dueAt: due.toISOString() } }, tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw caException(CaErrorCode.REQUEST_PENDING);
      throw error;
    }
    return (await this.byId(this.store.dataSource, tenant, id)) as BindingRequestView;
  }

  /** The administrators' queue: pending first (oldest due first), then the latest decided. */
  async queue(tenant: Tenant, status: RequestStatus | 'all' = 'pending'): Promise<BindingRequestView[]> {
    const rows = await queryRows<RequestRow>(
      this.store.dataSource,
      `SELECT ${COLUMNS} FROM ${FROM} WHERE r.province_id = $1 AND ($2 = 'all' OR r.status = $2)
        ORDER BY (r.status = 'pending') DESC, CASE WHEN r.status = 'pending' THEN r.due_at END ASC, r.decided_at DESC NULLS LAST, r.id LIMIT 200`,
      [tenant.provinceId, status],
    );
    return rows.map(toView);
  }

  async approve(tenant: Tenant, administratorId: string, requestId: string, origin: RequestOrigin): Promise<BindingRequestView> {
    return this.decide(tenant, administratorId, requestId, origin, async (tx, request) => {
      const existing = await this.store.bindingOf(tx, tenant.provinceId, 'hall', { issuerKey: request.issuer_key, serial: request.serial });
      if (existing && existing.accountId !== request.unit_id) throw caException(CaErrorCode.BOUND_ELSEWHERE, '该证书已绑定其他单位的网厅账号，请驳回此申请');
      if (!existing) {
        // A new certificate for the unit (a renewal) replaces its earlier one.
        const replaced = await this.store.deleteBindingOfAccount(tx, tenant.provinceId, 'hall', request.unit_id);
        await this.store.insertBinding(tx, tenant.provinceId, { realm: 'hall', accountId: request.unit_id, unitId: request.unit_id, via: 'review', boundBy: `administrator:${administratorId}`, issuerKey: request.issuer_key, serial: request.serial });
        await this.audit.record(tenant.provinceId, origin, { kind: 'ca.bound', outcome: 'success', actorKind: 'administrator', actorId: administratorId, unitId: request.unit_id, detail: { realm: 'hall', via: 'review', requestId, serial: request.serial, replaced: replaced?.serial } }, tx);
      }
      return { status: 'approved', reason: undefined };
    });
  }

  async reject(tenant: Tenant, administratorId: string, requestId: string, body: unknown, origin: RequestOrigin): Promise<BindingRequestView> {
    const reason = text(asRecord(body).reason).trim();
    if (!reason || reason.length > MAX_REASON) throw caException(CaErrorCode.REQUEST_INVALID, undefined, { reason: reason ? `驳回原因不超过 ${MAX_REASON} 字` : '请填写驳回原因' });
    return this.decide(tenant, administratorId, requestId, origin, () => Promise.resolve({ status: 'rejected', reason }));
  }

  private async decide(
    tenant: Tenant,
    administratorId: string,
    requestId: string,
    origin: RequestOrigin,
    decision: (tx: EntityManager, request: RequestRow) => Promise<{ status: 'approved' | 'rejected'; reason: string | undefined }>,
  ): Promise<BindingRequestView> {
    if (!isUuid(requestId)) throw caException(CaErrorCode.REQUEST_NOT_FOUND);
    try {
      await this.store.dataSource.transaction(async (tx) => {
        const [request] = await queryRows<RequestRow>(tx, `SELECT ${COLUMNS} FROM ${FROM} WHERE r.province_id = $1 AND r.id = $2 FOR UPDATE OF r`, [tenant.provinceId, requestId]);
        if (!request) throw caException(CaErrorCode.REQUEST_NOT_FOUND);
        if (request.status !== 'pending') throw caException(CaErrorCode.REQUEST_DECIDED);
        const { status, reason } = await decision(tx, request);
        await tx.query(`UPDATE ca_binding_requests SET status = $3, decided_by = $4, decided_at = $5, reason = $6 WHERE province_id = $1 AND id = $2`, [tenant.provinceId, requestId, status, administratorId, this.clock.now(), reason ?? null]);
        await this.audit.record(tenant.provinceId, origin, { kind: `ca.binding-${status}`, outcome: 'success', actorKind: 'administrator', actorId: administratorId, unitId: request.unit_id, detail: { requestId, serial: request.serial, reason } }, tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw caException(CaErrorCode.BOUND_ELSEWHERE, '该证书已绑定其他单位的网厅账号，请驳回此申请');
      throw error;
    }
    return (await this.byId(this.store.dataSource, tenant, requestId)) as BindingRequestView;
  }

  private async byId(q: Queryable, tenant: Tenant, id: string): Promise<BindingRequestView | undefined> {
    const rows = await queryRows<RequestRow>(q, `SELECT ${COLUMNS} FROM ${FROM} WHERE r.province_id = $1 AND r.id = $2`, [tenant.provinceId, id]);
    return rows[0] && toView(rows[0]);
  }

  /** The serial the unit typed, as a certificate the province has seen (a CA login attempt records it). */
  private async certificateBySerial(tenant: Tenant, serial: string): Promise<SeenCertificate> {
    const vendors = new Set(hallVendorIds(tenant));
    const found = (await this.store.seenBySerial(tenant.provinceId, serial)).filter((c) => vendors.has(c.vendorId));
    const [only] = found;
    if (!only) throw caException(CaErrorCode.CERTIFICATE_NOT_SEEN, undefined, { serial: '未找到该序列号的证书：请先插入证书点击“CA 登录”，查看提示的未绑定序列号' });
    // Two issuers that used one serial: the one that signed in last is the one in the unit's hands.
    return only;
  }

  /** HN-8 is the unit's own request: the unit account (管理员), not an operator. */
  private async unitOf(tenant: Tenant, session: LiveSession): Promise<UnitRecord> {
    if (hallVendorIds(tenant).length === 0) throw caException(CaErrorCode.NOT_OFFERED);
    if (session.data.actorKind !== 'unit') throw caException(CaErrorCode.UNIT_ACCOUNT_ONLY);
    const unit = await this.accounts.unitById(tenant.provinceId, session.data.actorId);
    if (!unit) throw caException(CaErrorCode.UNIT_ACCOUNT_ONLY);
    return unit;
  }

  private sla(tenant: Tenant) {
    const vendor = tenant.profile.caVendors.find((v) => hallVendorIds(tenant).includes(v.id));
    return vendor?.hallBinding ?? { slaHours: 24, slaWorkingDaysOnly: true, submitFields: ['单位名称', '统一信用代码', '证书序列号'] };
  }
}

function toView(r: RequestRow): BindingRequestView {
  const subjectUscc = r.subject_uscc ?? undefined;
  return {
    requestId: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    uscc: r.uscc,
    serial: r.serial,
    status: r.status,
    submittedAt: new Date(r.submitted_at).toISOString(),
    dueAt: new Date(r.due_at).toISOString(),
    decidedAt: r.decided_at === null ? undefined : new Date(r.decided_at).toISOString(),
    reason: r.reason ?? undefined,
    certificate: { subject: r.subject_dn, issuer: r.issuer_dn, notAfter: new Date(r.not_after).toISOString(), subjectUscc },
    usccMatches: subjectUscc === undefined ? undefined : subjectUscc === r.uscc,
  };
}
