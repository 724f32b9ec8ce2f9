import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { CertificationsRepository, type CertificationRecord } from '#src/hall/certifications.repository.js';
import { hallException, HallErrorCode } from '#src/hall/hall.exception.js';
import { field } from '#src/identity/request-body.js';
import type { LiveSession } from '#src/identity/sessions/session.service.js';
import { SignedInActorService, type UnitView } from '#src/identity/sessions/signed-in-actor.service.js';
import { NATIONAL_REGISTRY, type NationalRegistry } from '#src/national-registry/national-registry.port.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { Tenant } from '#src/tenancy/tenant.js';

type RoleType = ProvinceProfile['roleTypes'][number];

export interface RoleTypeView {
  id: string;
  /** The province's own name for it (Tibet's 医院, Hunan's 协议药店). */
  name: string;
}

/** GET …/hall: the unit, its certification and what the signed-in account may still certify. */
export interface HallOverview {
  unit: UnitView;
  actor: { kind: string; account: string };
  certifiedRoleTypes: Array<RoleTypeView & { certifiedAt: string }>;
  certifiableRoleTypes: RoleTypeView[];
  /** The account must certify before anything else in the hall (N-5). */
  mustCertify: boolean;
  /** Whether this account may certify at all in this province (HN-9: only the main account). */
  canCertify: boolean;
  certification: { path: string[]; note?: string | undefined };
  notices: Array<{ id: string; title: string; body: string }>;
}

/**
 * 角色认证 (N-3, N-5, XZ-5, XZ-6, JL-5, JL-12, HN-7, HN-9, AH-4): on first entry the unit picks one
 * of the role types its province offers in the hall, under the province's names, and only one its
 * national registry entry supports. Who certifies is the profile's `certification.certifiers`:
 * the main account alone (the unit's certification covers its operators), or every account on its
 * own (JL-5). Each certifies once; there is no second certification (AH-4).
 */
@Injectable()
export class CertificationService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SignedInActorService) private readonly actors: SignedInActorService,
    @Inject(CertificationsRepository) private readonly certifications: CertificationsRepository,
    @Inject(NATIONAL_REGISTRY) private readonly registry: NationalRegistry,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async overview(tenant: Tenant, session: LiveSession): Promise<HallOverview> {
    const { unit, account } = await this.currentUnit(tenant, session);
    const { profile } = tenant;
    const records = await this.certifications.ofUnit(tenant.provinceId, unit.id);
    const canCertify = this.canCertify(profile, session);
    const mustCertify = this.mustCertify(profile, session, records, canCertify);
    const supported = mustCertify && canCertify ? await this.supportedRoleTypes(profile, unit) : [];
    const certified = new Map<string, Date>();
    for (const r of records) if (!certified.has(r.roleType)) certified.set(r.roleType, r.certifiedAt);
    return {
      unit,
      actor: { kind: session.data.actorKind, account },
      certifiedRoleTypes: [...certified].map(([id, at]) => ({ ...roleTypeView(profile, id), certifiedAt: at.toISOString() })),
      certifiableRoleTypes: supported.map((r) => roleTypeView(profile, r.id)),
      mustCertify,
      canCertify,
      certification: { path: [...profile.certification.path], note: profile.certification.note },
      notices: profile.notices.map((n) => ({ id: n.id, title: n.title, body: n.body })),
    };
  }

  async certify(tenant: Tenant, session: LiveSession, body: unknown, origin: RequestOrigin): Promise<HallOverview> {
    const roleType = field(body, 'roleType').trim();
    if (!roleType) throw hallException(HallErrorCode.CERTIFICATION_INVALID, undefined, { roleType: '请选择角色类型' });
    const { unit, account } = await this.currentUnit(tenant, session);
    const { profile } = tenant;
    if (!this.canCertify(profile, session)) {
      throw hallException(HallErrorCode.CERTIFIER_NOT_ALLOWED, profile.login.mainAccountForCertification.enabled ? profile.login.mainAccountForCertification.note : undefined);
    }
    const offered = hallRoleTypes(profile);
    if (!offered.some((r) => r.id === roleType)) {
      throw hallException(HallErrorCode.ROLE_TYPE_NOT_OFFERED, `本省可认证的角色类型：${offered.map((r) => roleTypeView(profile, r.id).name).join('、')}`, { roleType: '本省不提供该角色类型' }, { roleTypes: offered.map((r) => r.id) });
    }
    if (!(await this.supportedRoleTypes(profile, unit)).some((r) => r.id === roleType)) {
      const link = profile.urls.codeMaintenance;
      throw hallException(HallErrorCode.ROLE_TYPE_NOT_IN_REGISTRY, undefined, { roleType: '与国家编码库中的信息不符' }, { codeMaintenance: { title: link.title, url: link.url } });
    }
    const records = await this.certifications.ofUnit(tenant.provinceId, unit.id);
    const personal = eachAccountCertifies(profile);
    // The unit has one role type: where each account certifies, later ones confirm the first.
    const unitRole = records[0]?.roleType;
    if (!personal && records.length > 0) throw alreadyCertified(profile, unitRole);
    if (unitRole !== undefined && unitRole !== roleType) {
      throw hallException(HallErrorCode.CERTIFICATION_INVALID, `本单位已认证为“${roleTypeView(profile, unitRole).name}”，请选择同一角色类型`, { roleType: '须与本单位已认证的角色类型一致' });
    }
    const record: CertificationRecord = { actorKind: session.data.actorKind, actorId: session.data.actorId, roleType, certifiedAt: this.clock.now() };
    if (!(await this.certifications.insert(tenant.provinceId, unit.id, record))) throw alreadyCertified(profile, unitRole ?? roleType);
    await this.audit.record(tenant.provinceId, origin, { kind: 'certification.created', outcome: 'success', actorKind: record.actorKind, actorId: record.actorId, unitId: unit.id, account, detail: { roleType } });
    return this.overview(tenant, session);
  }

  /** The unit the session works for; an operator must have chosen one (NM-4, AH-3). */
  private async currentUnit(tenant: Tenant, session: LiveSession): Promise<{ unit: UnitView; account: string }> {
    const actor = await this.actors.describe(tenant, session);
    if (!actor.unit) throw hallException(HallErrorCode.UNIT_NOT_CHOSEN);
    return { unit: actor.unit, account: actor.account };
  }

  private canCertify(profile: ProvinceProfile, session: LiveSession): boolean {
    const kind = session.data.actorKind;
    if (kind === 'operator' && profile.login.mainAccountForCertification.enabled) return false;
    return (profile.certification.certifiers as readonly string[]).includes(kind);
  }

  private mustCertify(profile: ProvinceProfile, session: LiveSession, records: readonly CertificationRecord[], canCertify: boolean): boolean {
    if (!profile.certification.requiredOnFirstEntry) return false;
    if (eachAccountCertifies(profile) && canCertify) return !records.some((r) => r.actorKind === session.data.actorKind && r.actorId === session.data.actorId);
    return records.length === 0;
  }

  /** Offered in the hall and backed by the unit's national registry entry (N-3, N-4). */
  private async supportedRoleTypes(profile: ProvinceProfile, unit: UnitView): Promise<RoleType[]> {
    const entry = await this.registry.findByUscc(unit.uscc);
    return hallRoleTypes(profile).filter((r) => entry?.roleTypes.includes(r.id));
  }
}

/** Role types certified in the hall: offered by the province and not registered at procurement (HN-10). */
function hallRoleTypes(profile: ProvinceProfile): RoleType[] {
  return profile.roleTypes.filter((r) => r.offered && r.registersAt === 'hall');
}

/** JL-5: where operators certify as well, every account certifies on its own. */
function eachAccountCertifies(profile: ProvinceProfile): boolean {
  return (profile.certification.certifiers as readonly string[]).includes('operator');
}

function roleTypeView(profile: ProvinceProfile, id: string): RoleTypeView {
  const role = profile.roleTypes.find((r) => r.id === id);
  return { id, name: role?.certificationLabel ?? role?.name ?? id };
}

function alreadyCertified(profile: ProvinceProfile, roleType: string | undefined) {
  return hallException(HallErrorCode.ALREADY_CERTIFIED, roleType ? `已认证为“${roleTypeView(profile, roleType).name}”，无需再次认证` : undefined);
}
