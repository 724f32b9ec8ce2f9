import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { MenuPermissions } from '#src/authz/procurement-ability.js';
import { isUuid } from '#src/identity/accounts.repository.js';
import { queryRows } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export interface RoleRecord {
  id: string;
  unitId: string;
  name: string;
  remark: string;
  permissions: MenuPermissions;
  version: number;
  assignedCount: number;
  updatedAt: Date;
}

/** What the ability of an account is built from: its role, if any, at its current version. */
export interface AccountRole {
  roleId: string;
  version: number;
  permissions: MenuPermissions;
}

export interface RoleAccountRow {
  accountId: string;
  kind: string;
  /** The login account: the operator's mobile, the sub-account's login name. */
  login: string;
  name: string;
  roleId: string | undefined;
  roleName: string | undefined;
  status: string;
  firstEnteredAt: Date | undefined;
}

interface RoleRow {
  id: string;
  unit_id: string;
  name: string;
  remark: string;
  permissions: MenuPermissions;
  version: number;
  assigned: string;
  updated_at: Date | string;
}

const ROLE_SELECT = `SELECT r.id, r.unit_id, r.name, r.remark, r.permissions, r.version, r.updated_at,
  (SELECT count(*) FROM procurement_account_roles a WHERE a.role_id = r.id) AS assigned FROM procurement_roles r`;

/**
 * The accounts of a unit that roles are for: its operators once they entered procurement (XZ-11) and
 * its branch sub-accounts (AH-6); never the main account, which holds everything (N-6).
 */
const ACCOUNT_SELECT = `SELECT p.id, p.kind, COALESCE(p.login_name, o.mobile, '') AS login, p.display_name, p.status, p.first_entered_at, ar.role_id, r.name AS role_name
  FROM procurement_accounts p
  LEFT JOIN operators o ON p.kind = 'operator' AND o.id = p.hall_actor_id
  LEFT JOIN procurement_account_roles ar ON ar.account_id = p.id
  LEFT JOIN procurement_roles r ON r.id = ar.role_id`;

interface AccountRowDb {
  id: string;
  kind: string;
  login: string;
  display_name: string;
  status: string;
  first_entered_at: Date | string | null;
  role_id: string | null;
  role_name: string | null;
}

/**
 * Roles and role assignments of units' procurement accounts. Every query takes the province and the
 * unit; list queries also take the ability's scope as SQL (`scope`), so they return only what the
 * caller's rules allow.
 */
@Injectable()
export class ProcurementRolesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(scope: { sql: string; params: unknown[] }, name: string): Promise<RoleRecord[]> {
    const params = [...scope.params, `%${escapeLike(name)}%`];
    const rows = await queryRows<RoleRow>(this.db, `${ROLE_SELECT} WHERE ${scope.sql} AND r.name ILIKE $${String(params.length)} ORDER BY r.created_at, r.id`, params);
    return rows.map(toRole);
  }

  async byId(provinceId: ProvinceId, unitId: string, roleId: string): Promise<RoleRecord | undefined> {
    if (!isUuid(roleId)) return undefined;
    const rows = await queryRows<RoleRow>(this.db, `${ROLE_SELECT} WHERE r.province_id = $1 AND r.unit_id = $2 AND r.id = $3`, [provinceId, unitId, roleId]);
    return rows[0] && toRole(rows[0]);
  }

  async insert(provinceId: ProvinceId, unitId: string, role: { name: string; remark: string; permissions: MenuPermissions; createdBy: string }, at: Date): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO procurement_roles (id, province_id, unit_id, name, remark, permissions, version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8)`,
      [id, provinceId, unitId, role.name, role.remark, JSON.stringify(role.permissions), role.createdBy, at],
    );
    return id;
  }

  /** Applies a change made from `expectedVersion` (when given); false when the role changed meanwhile or is gone. */
  async update(provinceId: ProvinceId, unitId: string, roleId: string, change: { name: string; remark: string; permissions: MenuPermissions }, expectedVersion: number | undefined, at: Date): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE procurement_roles SET name = $4, remark = $5, permissions = $6, version = version + 1, updated_at = $7
        WHERE province_id = $1 AND unit_id = $2 AND id = $3 AND ($8::integer IS NULL OR version = $8) RETURNING id`,
      [provinceId, unitId, roleId, change.name, change.remark, JSON.stringify(change.permissions), at, expectedVersion ?? null],
    );
    return rows.length === 1;
  }

  /** Deletes a role nobody holds; 'in-use' when someone does, 'missing' when there is no such role. */
  async delete(provinceId: ProvinceId, unitId: string, roleId: string): Promise<'deleted' | 'in-use' | 'missing'> {
    if (!isUuid(roleId)) return 'missing';
    const rows = await queryRows(
      this.db,
      `DELETE FROM procurement_roles r WHERE r.province_id = $1 AND r.unit_id = $2 AND r.id = $3
        AND NOT EXISTS (SELECT 1 FROM procurement_account_roles a WHERE a.role_id = r.id) RETURNING id`,
      [provinceId, unitId, roleId],
    );
    if (rows.length === 1) return 'deleted';
    return (await this.byId(provinceId, unitId, roleId)) ? 'in-use' : 'missing';
  }

  /** 已分配 (the role's accounts) or 未分配 (the unit's accounts holding no role), by login account (JL-14). */
  async accounts(provinceId: ProvinceId, unitId: string, filter: { roleId?: string; unassigned?: boolean; account?: string }): Promise<RoleAccountRow[]> {
    const params: unknown[] = [provinceId, unitId];
    const where = [`p.province_id = $1`, `p.unit_id = $2`, `p.kind IN ('operator', 'branch')`];
    if (filter.roleId) {
      params.push(filter.roleId);
      where.push(`ar.role_id = $${String(params.length)}`);
    }
    if (filter.unassigned) where.push(`ar.role_id IS NULL`);
    if (filter.account) {
      params.push(`%${escapeLike(filter.account)}%`);
      where.push(`(COALESCE(p.login_name, o.mobile, '') ILIKE $${String(params.length)} OR p.display_name ILIKE $${String(params.length)})`);
    }
    const rows = await queryRows<AccountRowDb>(this.db, `${ACCOUNT_SELECT} WHERE ${where.join(' AND ')} ORDER BY p.created_at, p.id`, params);
    return rows.map(toAccountRow);
  }

  async account(provinceId: ProvinceId, unitId: string, accountId: string): Promise<RoleAccountRow | undefined> {
    if (!isUuid(accountId)) return undefined;
    const rows = await queryRows<AccountRowDb>(this.db, `${ACCOUNT_SELECT} WHERE p.province_id = $1 AND p.unit_id = $2 AND p.id = $3`, [provinceId, unitId, accountId]);
    return rows[0] && toAccountRow(rows[0]);
  }

  /** Gives the account this role (replacing another: one role per account, JL-15's 修改角色). */
  async assign(provinceId: ProvinceId, unitId: string, accountId: string, roleId: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO procurement_account_roles (account_id, province_id, unit_id, role_id, assigned_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id) DO UPDATE SET role_id = EXCLUDED.role_id, assigned_at = EXCLUDED.assigned_at`,
      [accountId, provinceId, unitId, roleId, at],
    );
  }

  /** 删除 on 已分配: back to 未分配; false when the account did not hold this role. */
  async unassign(provinceId: ProvinceId, unitId: string, accountId: string, roleId: string | undefined): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `DELETE FROM procurement_account_roles WHERE province_id = $1 AND unit_id = $2 AND account_id = $3 AND ($4::uuid IS NULL OR role_id = $4) RETURNING account_id`,
      [provinceId, unitId, accountId, roleId ?? null],
    );
    return rows.length === 1;
  }

  /** The role an account holds now, for its ability. */
  async roleOf(provinceId: ProvinceId, accountId: string): Promise<AccountRole | undefined> {
    const rows = await queryRows<{ id: string; version: number; permissions: MenuPermissions }>(
      this.db,
      `SELECT r.id, r.version, r.permissions FROM procurement_account_roles a JOIN procurement_roles r ON r.id = a.role_id WHERE a.province_id = $1 AND a.account_id = $2`,
      [provinceId, accountId],
    );
    const row = rows[0];
    return row && { roleId: row.id, version: row.version, permissions: row.permissions };
  }

  async setStatus(provinceId: ProvinceId, unitId: string, accountId: string, status: 'active' | 'disabled', at: Date): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE procurement_accounts SET status = $4, disabled_at = CASE WHEN $4 = 'disabled' THEN $5::timestamptz ELSE NULL END
        WHERE province_id = $1 AND unit_id = $2 AND id = $3 AND kind IN ('operator', 'branch') RETURNING id`,
      [provinceId, unitId, accountId, status, at],
    );
    return rows.length === 1;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toRole(r: RoleRow): RoleRecord {
  return { id: r.id, unitId: r.unit_id, name: r.name, remark: r.remark, permissions: r.permissions, version: r.version, assignedCount: Number(r.assigned), updatedAt: new Date(r.updated_at) };
}

function toAccountRow(r: AccountRowDb): RoleAccountRow {
  return {
    accountId: r.id,
    kind: r.kind,
    login: r.login,
    name: r.display_name,
    roleId: r.role_id ?? undefined,
    roleName: r.role_name ?? undefined,
    status: r.status,
    firstEnteredAt: r.first_entered_at === null ? undefined : new Date(r.first_entered_at),
  };
}
