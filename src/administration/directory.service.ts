import { Inject, Injectable } from '@nestjs/common';
import { administrationException, AdministrationErrorCode } from '#src/administration/administration.exception.js';
import { shownAccount } from '#src/administration/audit-view.js';
import { DirectoryRepository, type BindingRow, type CertificationRow, type ProvinceCounts, type UnitListRow } from '#src/administration/directory.repository.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { isStorableText } from '#src/identity/request-body.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export const DIRECTORY_PAGE_SIZE = 20;
const MAX_PAGE = 10_000;
const MAX_QUERY = 64;

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

export interface RoleTypeView {
  id: string;
  name: string;
}

export interface AdminUnitView {
  id: string;
  name: string;
  uscc: string;
  accountName: string;
  status: string;
  registeredAt: string;
  deregisteredAt: string | null;
  certifiedRoleTypes: RoleTypeView[];
}

export interface AdminOperatorView {
  operatorId: string;
  name: string;
  /** Masked (138****8000): see shownAccount. */
  mobile: string;
  operatorStatus: string;
  unit: { id: string; name: string; uscc: string };
  boundAt: string;
  unboundAt: string | null;
  procurementAuthorisedAt: string | null;
}

export interface AdminCertificationView {
  unit: { id: string; name: string; uscc: string };
  roleType: RoleTypeView;
  certifiedBy: { kind: string; id: string; account: string | null };
  certifiedAt: string;
}

export interface AdminUnitDetail extends AdminUnitView {
  certifications: AdminCertificationView[];
  operators: AdminOperatorView[];
}

export interface DirectoryInput {
  q?: unknown;
  page?: unknown;
  state?: unknown;
  roleType?: unknown;
}

/** Everything a detail page lists at once: a unit has a handful of operators and certifications. */
const DETAIL_LIMIT = 200;

/** The administrators' read views of their province, paged, with the province's own role names. */
@Injectable()
export class DirectoryService {
  constructor(
    @Inject(DirectoryRepository) private readonly directory: DirectoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async units(tenant: Tenant, input: DirectoryInput): Promise<Paged<AdminUnitView>> {
    const { q, page } = readPaging(input);
    const found = await this.directory.units(tenant.provinceId, { q }, { page, pageSize: DIRECTORY_PAGE_SIZE });
    return paged(found.rows.map((r) => unitView(tenant.profile, r)), page, found.total);
  }

  async unit(tenant: Tenant, unitId: string): Promise<AdminUnitDetail> {
    const row = await this.directory.unit(tenant.provinceId, unitId);
    if (!row) throw administrationException(AdministrationErrorCode.UNIT_NOT_FOUND);
    const all = { page: 1, pageSize: DETAIL_LIMIT };
    const [certifications, operators] = await Promise.all([
      this.directory.certifications(tenant.provinceId, { unitId: row.id }, all),
      this.directory.bindings(tenant.provinceId, { unitId: row.id }, all),
    ]);
    return { ...unitView(tenant.profile, row), certifications: certifications.rows.map((r) => certificationView(tenant.profile, r)), operators: operators.rows.map(operatorView) };
  }

  async operators(tenant: Tenant, input: DirectoryInput): Promise<Paged<AdminOperatorView>> {
    const { q, page } = readPaging(input);
    const state = one(input.state);
    if (state !== undefined && state !== 'bound' && state !== 'unbound') throw administrationException(AdministrationErrorCode.FILTER_INVALID, undefined, { state: '绑定状态只能为 bound 或 unbound' });
    const found = await this.directory.bindings(tenant.provinceId, { q, state }, { page, pageSize: DIRECTORY_PAGE_SIZE });
    return paged(found.rows.map(operatorView), page, found.total);
  }

  async certifications(tenant: Tenant, input: DirectoryInput): Promise<Paged<AdminCertificationView>> {
    const { q, page } = readPaging(input);
    const roleType = one(input.roleType);
    if (roleType !== undefined && !tenant.profile.roleTypes.some((r) => r.id === roleType)) {
      throw administrationException(AdministrationErrorCode.FILTER_INVALID, undefined, { roleType: `角色类型只能为 ${tenant.profile.roleTypes.map((r) => r.id).join('、')}` });
    }
    const found = await this.directory.certifications(tenant.provinceId, { q, roleType }, { page, pageSize: DIRECTORY_PAGE_SIZE });
    return paged(found.rows.map((r) => certificationView(tenant.profile, r)), page, found.total);
  }

  counts(tenant: Tenant): Promise<ProvinceCounts> {
    return this.directory.counts(tenant.provinceId, new Date(this.clock.now().getTime() - 24 * 3_600_000));
  }
}

function one(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  const text = typeof first === 'string' ? first.trim() : '';
  return text === '' ? undefined : text;
}

function readPaging(input: DirectoryInput): { q: string | undefined; page: number } {
  const fields: Record<string, string> = {};
  const q = one(input.q);
  if (q !== undefined && (q.length > MAX_QUERY || !isStorableText(q))) fields.q = `查询内容不能超过 ${MAX_QUERY} 个字符，且不能含有无法识别的字符`;
  const rawPage = one(input.page) ?? '1';
  const page = /^\d{1,5}$/.test(rawPage) ? Number(rawPage) : NaN;
  if (!(page >= 1 && page <= MAX_PAGE)) fields.page = `页码须为 1-${MAX_PAGE}`;
  if (Object.keys(fields).length > 0) throw administrationException(AdministrationErrorCode.FILTER_INVALID, undefined, fields);
  return { q, page };
}

function paged<T>(items: T[], page: number, total: number): Paged<T> {
  return { items, page, pageSize: DIRECTORY_PAGE_SIZE, total, pages: Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE)) };
}

function roleType(profile: ProvinceProfile, id: string): RoleTypeView {
  return { id, name: profile.roleTypes.find((r) => r.id === id)?.name ?? id };
}

function unitView(profile: ProvinceProfile, row: UnitListRow): AdminUnitView {
  return {
    id: row.id,
    name: row.name,
    uscc: row.uscc,
    accountName: row.accountName,
    status: row.status,
    registeredAt: row.registeredAt.toISOString(),
    deregisteredAt: row.deregisteredAt?.toISOString() ?? null,
    certifiedRoleTypes: row.roleTypes.map((id) => roleType(profile, id)),
  };
}

function operatorView(row: BindingRow): AdminOperatorView {
  return {
    operatorId: row.operatorId,
    name: row.name,
    mobile: shownAccount(row.mobile) ?? '',
    operatorStatus: row.operatorStatus,
    unit: { id: row.unitId, name: row.unitName, uscc: row.uscc },
    boundAt: row.boundAt.toISOString(),
    unboundAt: row.unboundAt?.toISOString() ?? null,
    procurementAuthorisedAt: row.procurementAuthorisedAt?.toISOString() ?? null,
  };
}

function certificationView(profile: ProvinceProfile, row: CertificationRow): AdminCertificationView {
  return {
    unit: { id: row.unitId, name: row.unitName, uscc: row.uscc },
    roleType: roleType(profile, row.roleType),
    certifiedBy: { kind: row.actorKind, id: row.actorId, account: shownAccount(row.account) },
    certifiedAt: row.certifiedAt.toISOString(),
  };
}
