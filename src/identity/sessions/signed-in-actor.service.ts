import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { AccountsRepository, type BoundUnit } from '#src/identity/accounts.repository.js';
import { identityException, IdentityErrorCode } from '#src/identity/identity.exception.js';
import { SessionService, type LiveSession } from '#src/identity/sessions/session.service.js';
import type { ActorKind, HallActorKind } from '#src/identity/sessions/session-store.js';
import { NATIONAL_REGISTRY, type NationalRegistry, type RegistryInstitution } from '#src/national-registry/national-registry.port.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export interface UnitView {
  id: string;
  name: string;
  uscc: string;
}

/** GET …/session: who is signed in, for which unit, and what they still have to choose. */
export interface SignedInActor {
  kind: HallActorKind;
  /** The login account: the unit account's name, or the operator's mobile number. */
  account: string;
  name: string;
  unit?: UnitView | undefined;
  /** An operator's units in this province (NM-4, AH-3). */
  units?: UnitView[] | undefined;
  mustChooseUnit: boolean;
  /** 招采授权 (JL-9): this operator is authorised for procurement at the current unit. */
  procurementAuthorised?: boolean | undefined;
  /** NM-5: the medical institution chosen under the unit's credit code, final once chosen. */
  institution?: RegistryInstitution | undefined;
  mustChooseInstitution: boolean;
  institutions?: RegistryInstitution[] | undefined;
  method: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

/**
 * The signed-in actor of a hall session, and the two choices after login: the unit (an operator
 * bound to several, NM-4/AH-3) and, for a medical-institution operator whose credit code covers
 * several institutions, the institution — once, for good (NM-5).
 */
@Injectable()
export class SignedInActorService {
  constructor(
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(NATIONAL_REGISTRY) private readonly registry: NationalRegistry,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async describe(tenant: Tenant, session: LiveSession): Promise<SignedInActor> {
    const { data } = session;
    const times = { method: data.method, idleExpiresAt: new Date(data.idleExpiresAt).toISOString(), absoluteExpiresAt: new Date(data.absoluteExpiresAt).toISOString() };
    if (data.actorKind === 'unit') {
      const unit = await this.accounts.unitById(tenant.provinceId, data.actorId);
      if (unit?.status !== 'active') return this.endedFor('unit', data.actorId);
      return { kind: 'unit', account: unit.accountName, name: unit.name, unit: { id: unit.id, name: unit.name, uscc: unit.uscc }, mustChooseUnit: false, mustChooseInstitution: false, ...times };
    }
    if (data.actorKind !== 'operator') return this.endedFor(data.actorKind, data.actorId);
    const operator = await this.accounts.operatorById(data.actorId);
    if (operator?.status !== 'active') return this.endedFor('operator', data.actorId);
    const units = await this.accounts.unitsOfOperator(tenant.provinceId, operator.id);
    const current = units.find((u) => u.unitId === data.unitId);
    const choice: InstitutionChoice = current ? await this.institutionChoice(tenant, current) : { mustChoose: false };
    return {
      kind: 'operator',
      account: operator.mobile,
      name: operator.name,
      unit: current && unitView(current),
      units: units.map(unitView),
      mustChooseUnit: !current,
      procurementAuthorised: tenant.profile.operators.procurementAuthorisation.enabled && current ? current.procurementAuthorisedAt !== null : undefined,
      institution: choice.chosen,
      mustChooseInstitution: choice.mustChoose,
      institutions: choice.mustChoose ? choice.institutions : undefined,
      ...times,
    };
  }

  async chooseUnit(tenant: Tenant, session: LiveSession, unitId: string, origin: RequestOrigin): Promise<SignedInActor> {
    const { data } = session;
    const allowed = data.actorKind === 'unit' ? unitId === data.actorId : (await this.accounts.unitsOfOperator(tenant.provinceId, data.actorId)).some((u) => u.unitId === unitId);
    if (!allowed) throw identityException(IdentityErrorCode.UNIT_CHOICE_INVALID, undefined, { unitId: '只能选择本账号绑定的单位' });
    const updated = { ...session, data: await this.sessions.update(session, { unitId }) };
    await this.audit.record(tenant.provinceId, origin, { kind: 'session.unit-chosen', outcome: 'success', actorKind: data.actorKind, actorId: data.actorId, unitId });
    return this.describe(tenant, updated);
  }

  async chooseInstitution(tenant: Tenant, session: LiveSession, code: string, origin: RequestOrigin): Promise<SignedInActor> {
    const { data } = session;
    const unit = data.actorKind === 'operator' && data.unitId ? (await this.accounts.unitsOfOperator(tenant.provinceId, data.actorId)).find((u) => u.unitId === data.unitId) : undefined;
    if (!unit) throw identityException(data.actorKind === 'operator' ? IdentityErrorCode.UNIT_NOT_CHOSEN : IdentityErrorCode.INSTITUTION_CHOICE_INVALID);
    const choice = await this.institutionChoice(tenant, unit);
    if (choice.chosen) throw identityException(IdentityErrorCode.INSTITUTION_ALREADY_CHOSEN, `已选定医疗机构“${choice.chosen.name}”，不能更改`);
    if (!choice.mustChoose || !choice.institutions.some((i) => i.code === code)) {
      throw identityException(IdentityErrorCode.INSTITUTION_CHOICE_INVALID, undefined, { institutionCode: '只能选择本统一社会信用代码下的医疗机构' });
    }
    if (!(await this.accounts.chooseOperatorInstitution(tenant.provinceId, unit.unitId, data.actorId, code))) throw identityException(IdentityErrorCode.INSTITUTION_ALREADY_CHOSEN);
    await this.audit.record(tenant.provinceId, origin, { kind: 'session.institution-chosen', outcome: 'success', actorKind: 'operator', actorId: data.actorId, unitId: unit.unitId, detail: { institutionCode: code } });
    return this.describe(tenant, session);
  }

  /** An account disabled or deregistered since login: none of its sessions goes on. */
  private async endedFor(kind: ActorKind, id: string): Promise<never> {
    await this.sessions.endAllOf(kind, id);
    throw identityException(IdentityErrorCode.SESSION_REQUIRED);
  }

  private async institutionChoice(tenant: Tenant, unit: BoundUnit): Promise<InstitutionChoice> {
    if (!tenant.profile.login.institutionChoiceFinal.enabled) return { mustChoose: false };
    const entry = await this.registry.findByUscc(unit.uscc);
    const institutions = entry?.institutions ?? [];
    if (!entry?.roleTypes.includes('medical-institution') || institutions.length < 2) return { mustChoose: false };
    const chosen = institutions.find((i) => i.code === unit.institutionCode);
    return chosen ? { mustChoose: false, chosen } : { mustChoose: true, institutions };
  }
}

type InstitutionChoice = { mustChoose: false; chosen?: RegistryInstitution } | { mustChoose: true; institutions: RegistryInstitution[]; chosen?: undefined };

function unitView(unit: BoundUnit): UnitView {
  return { id: unit.unitId, name: unit.name, uscc: unit.uscc };
}
