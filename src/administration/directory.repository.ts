import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUuid } from '#src/identity/accounts.repository.js';
import { queryRows } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export interface PageRequest {
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface Counted<T> {
  rows: T[];
  total: number;
}

export interface UnitListRow {
  id: string;
  name: string;
  uscc: string;
  accountName: string;
  status: string;
  registeredAt: Date;
  deregisteredAt: Date | null;
  roleTypes: string[];
}

export interface BindingRow {
  operatorId: string;
  name: string;
  mobile: string;
  operatorStatus: string;
  unitId: string;
  unitName: string;
  uscc: string;
  boundAt: Date;
  unboundAt: Date | null;
  procurementAuthorisedAt: Date | null;
}

export interface CertificationRow {
  unitId: string;
  unitName: string;
  uscc: string;
  roleType: string;
  actorKind: string;
  actorId: string;
  account: string | null;
  certifiedAt: Date;
}

export interface ProvinceCounts {
  units: number;
  activeUnits: number;
  certifiedUnits: number;
  boundOperators: number;
  failuresLast24h: number;
}

/** `%`, `_` and `\` typed by a person are letters, not patterns (LIKE's default escape is `\`). */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}

const UNIT_COLUMNS = `u.id, u.name, u.uscc, u.account_name, u.status, u.registered_at, u.deregistered_at,
  (SELECT COALESCE(jsonb_agg(DISTINCT c.role_type ORDER BY c.role_type), '[]'::jsonb)
     FROM unit_certifications c WHERE c.province_id = u.province_id AND c.unit_id = u.id) AS role_types`;

const date = (value: Date | string): Date => new Date(value);
const maybeDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/**
 * What a province administrator reads of their province: units with their certified role types,
 * the operators bound to its units, the certifications. Tenant rows only — every query takes the
 * ProvinceId and joins on it, so an id of another province's row finds nothing.
 */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `q`: part of the name, the start of the credit code, or the unit account exactly. */
  async units(provinceId: ProvinceId, filter: { q?: string | undefined }, page: PageRequest): Promise<Counted<UnitListRow>> {
    const where = ['u.province_id = $1'];
    const params: unknown[] = [provinceId];
    if (filter.q) {
      params.push(`%${likeEscape(filter.q)}%`, `${likeEscape(filter.q.toUpperCase())}%`, filter.q);
      where.push(`(u.name ILIKE $2 OR u.uscc LIKE $3 OR lower(u.account_name) = lower($4))`);
    }
    return this.counted(
      UNIT_COLUMNS,
      `FROM units u WHERE ${where.join(' AND ')}`,
      `ORDER BY u.registered_at DESC, u.id DESC`,
      params,
      page,
      toUnitRow,
    );
  }

  async unit(provinceId: ProvinceId, unitId: string): Promise<UnitListRow | undefined> {
    if (!isUuid(unitId)) return undefined;
    const rows = await queryRows<Record<string, unknown>>(this.db, `SELECT ${UNIT_COLUMNS} FROM units u WHERE u.province_id = $1 AND u.id = $2`, [provinceId, unitId]);
    return rows[0] && toUnitRow(rows[0]);
  }

  /** `q`: part of the operator's or the unit's name, the start of the credit code, or the mobile exactly. */
  async bindings(provinceId: ProvinceId, filter: { q?: string | undefined; unitId?: string | undefined; state?: 'bound' | 'unbound' | undefined }, page: PageRequest): Promise<Counted<BindingRow>> {
    const where = ['b.province_id = $1'];
    const params: unknown[] = [provinceId];
    if (filter.q) {
      params.push(`%${likeEscape(filter.q)}%`, `${likeEscape(filter.q.toUpperCase())}%`, filter.q);
      where.push(`(o.name ILIKE $2 OR u.name ILIKE $2 OR u.uscc LIKE $3 OR o.mobile = $4)`);
    }
    if (filter.unitId) {
      params.push(filter.unitId);
      where.push(`b.unit_id = $${params.length}`);
    }
    if (filter.state === 'bound') where.push('b.unbound_at IS NULL');
    if (filter.state === 'unbound') where.push('b.unbound_at IS NOT NULL');
    return this.counted(
      `o.id AS operator_id, o.name, o.mobile, o.status AS operator_status, u.id AS unit_id, u.name AS unit_name, u.uscc,
       b.bound_at, b.unbound_at, b.procurement_authorised_at`,
      `FROM unit_operators b
         JOIN operators o ON o.id = b.operator_id
         JOIN units u ON u.id = b.unit_id AND u.province_id = b.province_id
        WHERE ${where.join(' AND ')}`,
      `ORDER BY b.bound_at DESC, o.id, u.id`,
      params,
      page,
      (r: Record<string, unknown>): BindingRow => ({
        operatorId: r.operator_id as string,
        name: r.name as string,
        mobile: r.mobile as string,
        operatorStatus: r.operator_status as string,
        unitId: r.unit_id as string,
        unitName: r.unit_name as string,
        uscc: r.uscc as string,
        boundAt: date(r.bound_at as string),
        unboundAt: maybeDate(r.unbound_at as string | null),
        procurementAuthorisedAt: maybeDate(r.procurement_authorised_at as string | null),
      }),
    );
  }

  /** `q` as for units; `roleType` exactly. */
  async certifications(provinceId: ProvinceId, filter: { q?: string | undefined; roleType?: string | undefined; unitId?: string | undefined }, page: PageRequest): Promise<Counted<CertificationRow>> {
    const where = ['c.province_id = $1'];
    const params: unknown[] = [provinceId];
    if (filter.q) {
      params.push(`%${likeEscape(filter.q)}%`, `${likeEscape(filter.q.toUpperCase())}%`);
      where.push(`(u.name ILIKE $2 OR u.uscc LIKE $3)`);
    }
    if (filter.roleType) {
      params.push(filter.roleType);
      where.push(`c.role_type = $${params.length}`);
    }
    if (filter.unitId) {
      params.push(filter.unitId);
      where.push(`c.unit_id = $${params.length}`);
    }
    return this.counted(
      `c.unit_id, u.name AS unit_name, u.uscc, c.role_type, c.actor_kind, c.actor_id, c.certified_at,
       CASE WHEN c.actor_kind = 'unit' THEN au.account_name ELSE o.mobile END AS account`,
      `FROM unit_certifications c
         JOIN units u ON u.id = c.unit_id AND u.province_id = c.province_id
         LEFT JOIN units au ON c.actor_kind = 'unit' AND au.id = c.actor_id AND au.province_id = c.province_id
         LEFT JOIN operators o ON c.actor_kind = 'operator' AND o.id = c.actor_id
        WHERE ${where.join(' AND ')}`,
      `ORDER BY c.certified_at DESC, c.unit_id, c.actor_id`,
      params,
      page,
      (r: Record<string, unknown>): CertificationRow => ({
        unitId: r.unit_id as string,
        unitName: r.unit_name as string,
        uscc: r.uscc as string,
        roleType: r.role_type as string,
        actorKind: r.actor_kind as string,
        actorId: r.actor_id as string,
        account: (r.account as string | null) ?? null,
        certifiedAt: date(r.certified_at as string),
      }),
    );
  }

  async counts(provinceId: ProvinceId, since: Date): Promise<ProvinceCounts> {
    const [row] = await queryRows<Record<string, string | number>>(
      this.db,
      `SELECT (SELECT count(*) FROM units WHERE province_id = $1) AS units,
              (SELECT count(*) FROM units WHERE province_id = $1 AND status = 'active') AS active_units,
              (SELECT count(DISTINCT unit_id) FROM unit_certifications WHERE province_id = $1) AS certified_units,
              (SELECT count(DISTINCT operator_id) FROM unit_operators WHERE province_id = $1 AND unbound_at IS NULL) AS bound_operators,
              (SELECT count(*) FROM audit_events WHERE province_id = $1 AND outcome = 'failure' AND at >= $2) AS failures`,
      [provinceId, since],
    );
    const n = (value: string | number | undefined) => Number(value ?? 0);
    return { units: n(row?.units), activeUnits: n(row?.active_units), certifiedUnits: n(row?.certified_units), boundOperators: n(row?.bound_operators), failuresLast24h: n(row?.failures) };
  }

  /** The rows of one page and how many there are in all (two statements: a page past the end still knows the total). */
  private async counted<T>(columns: string, fromWhere: string, order: string, params: unknown[], page: PageRequest, map: (row: Record<string, unknown>) => T): Promise<Counted<T>> {
    const [count] = await queryRows<{ total: string | number }>(this.db, `SELECT count(*) AS total ${fromWhere}`, params);
    const limit = params.length + 1;
    const rows = await queryRows<Record<string, unknown>>(this.db, `SELECT ${columns} ${fromWhere} ${order} LIMIT $${limit} OFFSET $${limit + 1}`, [...params, page.pageSize, (page.page - 1) * page.pageSize]);
    return { rows: rows.map(map), total: Number(count?.total ?? 0) };
  }
}

function toUnitRow(r: Record<string, unknown>): UnitListRow {
  return {
    id: r.id as string,
    name: r.name as string,
    uscc: r.uscc as string,
    accountName: r.account_name as string,
    status: r.status as string,
    registeredAt: date(r.registered_at as string),
    deregisteredAt: maybeDate(r.deregistered_at as string | null),
    roleTypes: (r.role_types as string[] | null) ?? [],
  };
}
