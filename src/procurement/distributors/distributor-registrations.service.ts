import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { newReference } from '#src/feedback/feedback-reference.js';
import { isValidUscc } from '#src/identity/checks/uscc.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { notInNationalRegistry } from '#src/identity/registration/registration.service.js';
import { asRecord, text } from '#src/identity/request-body.js';
import { NATIONAL_REGISTRY, type NationalRegistry } from '#src/national-registry/national-registry.port.js';
import { DISTRIBUTOR_ROLE_TYPE, offersDistributorRegistration } from '#src/procurement/distributors/distributor-offer.js';
import { DistributorRegistrationsRepository, type DistributorRegistration, type RegistrationStatus } from '#src/procurement/distributors/distributor-registrations.repository.js';
import { readLoginName, readMobile, readName, readNewPassword } from '#src/procurement/local-account-fields.js';
import { ProcurementAccountsRepository } from '#src/procurement/procurement-accounts.repository.js';
import { procurementException, ProcurementErrorCode } from '#src/procurement/procurement.exception.js';
import type { Tenant } from '#src/tenancy/tenant.js';
import { CaptchaService } from '#src/verification/captcha.service.js';

const MAX_UNIT_NAME = 100;
const MAX_CONTACT_NAME = 50;
const MAX_REASON = 200;

/** What the registrant is told after submitting: the reference to quote, and the state of the review. */
export interface SubmittedRegistration {
  registrationId: string;
  reference: string;
  status: RegistrationStatus;
  message: string;
}

/** One registration as the province administrator reviews it (never the password hash). */
export interface RegistrationView {
  registrationId: string;
  reference: string;
  unitName: string;
  uscc: string;
  contactName: string;
  contactMobile: string;
  loginName: string;
  status: RegistrationStatus;
  submittedAt: string;
  decidedAt: string | undefined;
  reason: string | undefined;
}

/**
 * Distributors' registration at the procurement subsystem (HN-10): 企业信息 (name, credit code, legal
 * representative or contact, mobile) and 账户信息 (login name, password twice) with a graphic
 * captcha; the credit code must be a distributor in the national registry (N-4); one waiting or
 * approved registration per credit code and province. The province administrator approves (the
 * distributor's procurement account is made with the registered name and password hash) or rejects
 * with a reason the registrant sees at login; a province whose profile says no review approves at
 * once. Every step is audited.
 */
@Injectable()
export class DistributorRegistrationsService {
  constructor(
    @Inject(DistributorRegistrationsRepository) private readonly registrations: DistributorRegistrationsRepository,
    @Inject(ProcurementAccountsRepository) private readonly procurementAccounts: ProcurementAccountsRepository,
    @Inject(NATIONAL_REGISTRY) private readonly registry: NationalRegistry,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async register(tenant: Tenant, body: unknown, origin: RequestOrigin): Promise<SubmittedRegistration> {
    assertOffered(tenant);
    const { provinceId, profile } = tenant;
    const value = asRecord(body);
    const fields: Record<string, string> = {};
    const unitName = readName(value, 'unitName', MAX_UNIT_NAME, `请输入企业名称（${MAX_UNIT_NAME} 字以内）`, fields);
    const uscc = text(value.uscc).trim().toUpperCase();
    if (!isValidUscc(uscc)) fields.uscc = '请输入正确的 18 位统一社会信用代码';
    const contactName = readName(value, 'contactName', MAX_CONTACT_NAME, `请输入法定代表人或联系人姓名（${MAX_CONTACT_NAME} 字以内）`, fields);
    const contactMobile = readMobile(value, 'contactMobile', fields);
    const loginName = readLoginName(value, fields);
    const password = readNewPassword(profile, value, loginName, fields);
    if (!text(value.captchaId)) fields.captchaId = '请先获取图形验证码';
    if (!text(value.captcha).trim()) fields.captcha = '请输入图形验证码';
    if (Object.keys(fields).length > 0) throw procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_INVALID, undefined, fields);
    // One captcha per attempt, spent before anything is looked up, so the form cannot probe codes or names.
    await this.captchas.consume(provinceId, text(value.captchaId), text(value.captcha));

    const entry = await this.registry.findByUscc(uscc);
    if (!entry) throw notInNationalRegistry(profile, 'uscc');
    if (!entry.roleTypes.includes(DISTRIBUTOR_ROLE_TYPE)) throw procurementException(ProcurementErrorCode.DISTRIBUTOR_ROLE_NOT_IN_REGISTRY, undefined, { uscc: '国家编码库中该单位不是配送企业' }, { codeMaintenance: { title: profile.urls.codeMaintenance.title, url: profile.urls.codeMaintenance.url } });
    const holder = await this.registrations.holdingUscc(provinceId, uscc);
    if (holder) throw alreadyRegistered(holder.status);
    if ((await this.registrations.holdsLoginName(provinceId, loginName)) || (await this.procurementAccounts.byLoginName(provinceId, loginName))) throw loginNameTaken();

    const now = this.clock.now();
    const registration = { id: randomUUID(), reference: newReference('PS', now), uscc, unitName, contactName, contactMobile, loginName, passwordHash: await this.passwords.hash(password), submittedAt: now };
    const approveAtOnce = !profile.distributors.reviewRequired;
    try {
      await this.registrations.dataSource.transaction(async (tx) => {
        await this.registrations.insert(tx, provinceId, registration);
        await this.audit.record(provinceId, origin, { kind: 'distributor.registered', outcome: 'success', actorKind: 'distributor-registration', actorId: registration.id, account: loginName, detail: { reference: registration.reference, uscc, reviewRequired: !approveAtOnce } }, tx);
        if (approveAtOnce) await this.approveIn(tx, tenant, { ...registration, provinceId, status: 'pending', decidedBy: undefined, decidedAt: undefined, reason: undefined }, undefined, origin);
      });
    } catch (error) {
      // Two registrations raced past the checks above: the unique indexes decide.
      if (isUniqueViolation(error, 'distributor_registrations_uscc_idx')) throw alreadyRegistered('pending');
      if (isUniqueViolation(error)) throw loginNameTaken();
      throw error;
    }
    const status = approveAtOnce ? 'approved' : 'pending';
    return { registrationId: registration.id, reference: registration.reference, status, message: approveAtOnce ? '注册成功，请使用登录账号和密码登录' : '提交成功，请耐心等待管理单位审核' };
  }

  async queue(tenant: Tenant, status: RegistrationStatus | 'all'): Promise<RegistrationView[]> {
    assertOffered(tenant);
    return (await this.registrations.queue(tenant.provinceId, status)).map(registrationView);
  }

  /** 通过: the distributor's procurement account, with the name and password hash it registered. */
  approve(tenant: Tenant, administratorId: string, registrationId: string, origin: RequestOrigin): Promise<RegistrationView> {
    return this.decide(tenant, registrationId, (tx, registration) => this.approveIn(tx, tenant, registration, administratorId, origin));
  }

  /** 驳回 with a reason the registrant is shown when logging in; the credit code and name are free again. */
  async reject(tenant: Tenant, administratorId: string, registrationId: string, body: unknown, origin: RequestOrigin): Promise<RegistrationView> {
    assertOffered(tenant);
    const reason = text(asRecord(body).reason).trim();
    if (!reason || reason.length > MAX_REASON) throw procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_INVALID, undefined, { reason: reason ? `驳回原因不超过 ${MAX_REASON} 字` : '请填写驳回原因' });
    return this.decide(tenant, registrationId, async (tx, registration) => {
      await this.registrations.decide(tx, tenant.provinceId, registration.id, { status: 'rejected', decidedBy: administratorId, at: this.clock.now(), reason });
      await this.audit.record(tenant.provinceId, origin, { kind: 'distributor.rejected', outcome: 'success', actorKind: 'administrator', actorId: administratorId, account: registration.loginName, detail: { registrationId: registration.id, reference: registration.reference, uscc: registration.uscc, reason } }, tx);
    });
  }

  private async decide(tenant: Tenant, registrationId: string, decision: (tx: EntityManager, registration: DistributorRegistration) => Promise<void>): Promise<RegistrationView> {
    assertOffered(tenant);
    try {
      await this.registrations.dataSource.transaction(async (tx) => {
        const registration = await this.registrations.byId(tx, tenant.provinceId, registrationId, true);
        if (!registration) throw procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_NOT_FOUND);
        if (registration.status !== 'pending') throw procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_DECIDED);
        await decision(tx, registration);
      });
    } catch (error) {
      // The login name went to another local account (a branch sub-account, AH-6) while this one waited.
      if (isUniqueViolation(error)) throw loginNameTaken('该登录账号已被其他招采账号使用，请驳回此申请并说明原因');
      throw error;
    }
    const decided = await this.registrations.byId(this.registrations.dataSource, tenant.provinceId, registrationId);
    if (!decided) throw procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_NOT_FOUND);
    return registrationView(decided);
  }

  private async approveIn(tx: EntityManager, tenant: Tenant, registration: DistributorRegistration, administratorId: string | undefined, origin: RequestOrigin): Promise<void> {
    const at = this.clock.now();
    const accountId = await this.procurementAccounts.insertLocal(
      tx,
      tenant.provinceId,
      {
        kind: 'distributor',
        unitId: undefined,
        loginName: registration.loginName,
        passwordHash: registration.passwordHash,
        displayName: registration.unitName,
        details: { uscc: registration.uscc, unitName: registration.unitName, contactName: registration.contactName, contactMobile: registration.contactMobile },
        createdBy: administratorId ? `administrator:${administratorId}` : `distributor-registration:${registration.id}`,
        distributorRegistrationId: registration.id,
      },
      at,
    );
    await this.registrations.decide(tx, tenant.provinceId, registration.id, { status: 'approved', decidedBy: administratorId, at, reason: undefined });
    const actor = administratorId ? { actorKind: 'administrator', actorId: administratorId } : { actorKind: 'distributor-registration', actorId: registration.id };
    await this.audit.record(tenant.provinceId, origin, { kind: 'distributor.approved', outcome: 'success', ...actor, account: registration.loginName, detail: { registrationId: registration.id, reference: registration.reference, uscc: registration.uscc, accountId } }, tx);
  }
}

export function assertOffered(tenant: Tenant): void {
  if (!offersDistributorRegistration(tenant.profile)) throw procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_NOT_OFFERED);
}

/**
 * What logging in with a registration that has no account says, once its password is proven
 * (before that, the same answer as any wrong password): still waiting, or rejected with the reason.
 */
export function registrationRefusal(registration: DistributorRegistration) {
  if (registration.status === 'rejected') {
    const reason = registration.reason ?? '';
    return procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_REJECTED, `审核未通过：${reason}。请按原因修改后重新注册`, undefined, { reason, reference: registration.reference });
  }
  return procurementException(ProcurementErrorCode.DISTRIBUTOR_REGISTRATION_PENDING, undefined, undefined, { reference: registration.reference });
}

function alreadyRegistered(status: RegistrationStatus) {
  const message = status === 'approved' ? '该统一社会信用代码已注册配送企业账号，请直接登录' : '该统一社会信用代码已提交注册，正在等待管理单位审核';
  return procurementException(ProcurementErrorCode.DISTRIBUTOR_ALREADY_REGISTERED, message, { uscc: message }, { status });
}

function loginNameTaken(message?: string) {
  return procurementException(ProcurementErrorCode.DISTRIBUTOR_LOGIN_NAME_TAKEN, message, { loginName: '该登录账号已被使用' });
}

function registrationView(r: DistributorRegistration): RegistrationView {
  return {
    registrationId: r.id,
    reference: r.reference,
    unitName: r.unitName,
    uscc: r.uscc,
    contactName: r.contactName,
    contactMobile: r.contactMobile,
    loginName: r.loginName,
    status: r.status,
    submittedAt: r.submittedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString(),
    reason: r.reason,
  };
}
