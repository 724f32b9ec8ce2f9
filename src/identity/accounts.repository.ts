import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ActorKind } from '#src/identity/sessions/session-store.js';
import { queryRows, type Queryable } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export type UnitStatus = 'active' | 'disabled' | 'deregistered';
export type OperatorStatus = 'active' | 'disabled';

export interface UnitRecord {
  id: string;
  provinceId: ProvinceId;
  uscc: string;
  name: string;
  details: Record<string, string>;
  accountName: string;
  passwordHash: string;
  recoveryPhone: string;
  status: UnitStatus;
  institutionCode: string | null;
}

export interface OperatorRecord {
  id: string;
  mobile: string;
  name: string;
  idType: string;
  idNumber: string;
  passwordHash: string;
  status: OperatorStatus;
}

export interface NewOperatorFields {
  mobile: string;
  name: string;
  idType: string;
  idNumber: string;
  idValidFrom?: string | undefined;
  idValidTo?: string | undefined;
}

export interface BoundUnit {
  unitId: string;
  name: string;
  uscc: string;
  institutionCode: string | null;
  /** 招采授权 (JL-9): when the unit authorised this operator for procurement; null when not. */
  procurementAuthorisedAt: Date | null;
}

export interface UnitOperatorRecord {
  operatorId: string;
  mobile: string;
  name: string;
  boundAt: Date;
  procurementAuthorisedAt: Date | null;
}

interface UnitRow {
  id: string;
  province_id: string;
  uscc: string;
  name: string;
  details: Record<string, string>;
  account_name: string;
  password_hash: string;
  recovery_phone: string;
  status: UnitStatus;
  institution_code: string | null;
}

interface OperatorRow {
  id: string;
  mobile: string;
  name: string;
  id_type: string;
  id_number: string;
  password_hash: string;
  status: OperatorStatus;
}

const UNIT_COLUMNS = 'id, province_id, uscc, name, details, account_name, password_hash, recovery_phone, status, institution_code';
const OPERATOR_COLUMNS = 'id, mobile, name, id_type, id_number, password_hash, status';

/**
 * Units (with their unit account) and the operators bound to them. A unit is a tenant row: every
 * unit query takes a ProvinceId. Operators are national persons (HN-5, JL-11), found by mobile or
 * document anywhere; what binds them to a province is unit_operators, again by ProvinceId. Methods
 * take an optional Queryable so they can run inside the caller's transaction.
 */
@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async unitByAccountName(provinceId: ProvinceId, accountName: string, q: Queryable = this.db): Promise<UnitRecord | undefined> {
    return this.oneUnit(q, `province_id = $1 AND lower(account_name) = lower($2)`, [provinceId, accountName]);
  }

  async unitByUscc(provinceId: ProvinceId, uscc: string, q: Queryable = this.db): Promise<UnitRecord | undefined> {
    return this.oneUnit(q, `province_id = $1 AND uscc = $2`, [provinceId, uscc]);
  }

  async unitById(provinceId: ProvinceId, unitId: string, q: Queryable = this.db): Promise<UnitRecord | undefined> {
    if (!isUuid(unitId)) return undefined;
    return this.oneUnit(q, `province_id = $1 AND id = $2`, [provinceId, unitId]);
  }

  /** Provinces other than this one where the credit code has a unit account (XZ-3). */
  async provincesWithUnit(uscc: string, except: ProvinceId): Promise<string[]> {
    const rows = await queryRows<{ province_id: string }>(this.db, `SELECT province_id FROM units WHERE uscc = $1 AND province_id <> $2 AND status <> 'deregistered' ORDER BY province_id`, [uscc, except]);
    return rows.map((r) => r.province_id);
  }

  /** Active unit accounts of that name in other provinces (XZ-3: they may sign in here). */
  async unitsElsewhereByAccountName(accountName: string, except: ProvinceId): Promise<UnitRecord[]> {
    const rows = await queryRows<UnitRow>(
      this.db,
      `SELECT ${UNIT_COLUMNS} FROM units WHERE lower(account_name) = lower($1) AND province_id <> $2 AND status = 'active' ORDER BY registered_at LIMIT 5`,
      [accountName, except],
    );
    return rows.map(toUnit);
  }

  async insertUnit(q: Queryable, unit: Omit<UnitRecord, 'status' | 'institutionCode'>, at: Date): Promise<void> {
    await q.query(
      `INSERT INTO units (id, province_id, uscc, name, details, account_name, password_hash, recovery_phone, status, registered_at, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9)`,
      [unit.id, unit.provinceId, unit.uscc, unit.name, JSON.stringify(unit.details), unit.accountName, unit.passwordHash, unit.recoveryPhone, at],
    );
  }

  async setUnitPassword(provinceId: ProvinceId, unitId: string, passwordHash: string, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE units SET password_hash = $3, password_changed_at = $4 WHERE province_id = $1 AND id = $2`, [provinceId, unitId, passwordHash, at]);
  }

  /** NM-5: the institution is chosen once; returns false when one was chosen already. */
  async chooseUnitInstitution(provinceId: ProvinceId, unitId: string, code: string): Promise<boolean> {
    const rows = await queryRows(this.db, `UPDATE units SET institution_code = $3 WHERE province_id = $1 AND id = $2 AND institution_code IS NULL RETURNING id`, [provinceId, unitId, code]);
    return rows.length === 1;
  }

  /** Whether the actor may act: an active unit account of this province, or an active operator. */
  /** Whether a hall account is active; any other kind of actor is not a hall account. */
  async isActive(provinceId: ProvinceId, kind: ActorKind, id: string): Promise<boolean> {
    if (kind !== 'unit' && kind !== 'operator') return false;
    const record = kind === 'unit' ? await this.unitById(provinceId, id) : await this.operatorById(id);
    return record?.status === 'active';
  }

  async operatorByMobile(mobile: string, q: Queryable = this.db): Promise<OperatorRecord | undefined> {
    const rows = await queryRows<OperatorRow>(q, `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE mobile = $1`, [mobile]);
    return rows[0] && toOperator(rows[0]);
  }

  async operatorById(operatorId: string, q: Queryable = this.db): Promise<OperatorRecord | undefined> {
    if (!isUuid(operatorId)) return undefined;
    const rows = await queryRows<OperatorRow>(q, `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE id = $1`, [operatorId]);
    return rows[0] && toOperator(rows[0]);
  }

  async operatorByDocument(idType: string, idNumber: string, q: Queryable = this.db): Promise<OperatorRecord | undefined> {
    const rows = await queryRows<OperatorRow>(q, `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE id_type = $1 AND id_number = $2`, [idType, idNumber]);
    return rows[0] && toOperator(rows[0]);
  }

  /** A new national operator from validated operator fields (registration, XZ-8's inline add). */
  async insertOperator(q: Queryable, id: string, fields: NewOperatorFields, passwordHash: string, at: Date): Promise<void> {
    await q.query(
      `INSERT INTO operators (id, mobile, name, id_type, id_number, id_valid_from, id_valid_to, password_hash, status, created_at, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9)`,
      [id, fields.mobile, fields.name, fields.idType, fields.idNumber, fields.idValidFrom ?? '', fields.idValidTo ?? '', passwordHash, at],
    );
  }

  /**
   * Binds an operator to a unit, or binds again one unbound earlier (a fresh binding: no 招采授权
   * carried over). False when already bound: of two concurrent adds (NM-6), one binds and the other
   * is told so.
   */
  async bindOperator(q: Queryable, provinceId: ProvinceId, unitId: string, operatorId: string, at: Date): Promise<boolean> {
    const rows = await queryRows(
      q,
      `INSERT INTO unit_operators (province_id, unit_id, operator_id, bound_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (unit_id, operator_id) DO UPDATE SET bound_at = EXCLUDED.bound_at, unbound_at = NULL, procurement_authorised_at = NULL
        WHERE unit_operators.unbound_at IS NOT NULL
       RETURNING operator_id`,
      [provinceId, unitId, operatorId, at],
    );
    return rows.length === 1;
  }

  /** 招采授权 (JL-9) given (`at`) or withdrawn (null); false when the operator is not bound to the unit. */
  async setProcurementAuthorisation(provinceId: ProvinceId, unitId: string, operatorId: string, at: Date | null): Promise<boolean> {
    if (!isUuid(operatorId)) return false;
    const rows = await queryRows(
      this.db,
      `UPDATE unit_operators SET procurement_authorised_at = $4 WHERE province_id = $1 AND unit_id = $2 AND operator_id = $3 AND unbound_at IS NULL RETURNING operator_id`,
      [provinceId, unitId, operatorId, at],
    );
    return rows.length === 1;
  }

  /** The active units of this province the operator is bound to (JL-9: unbound ones are not seen). */
  async unitsOfOperator(provinceId: ProvinceId, operatorId: string): Promise<BoundUnit[]> {
    const rows = await queryRows<{ unit_id: string; name: string; uscc: string; institution_code: string | null; procurement_authorised_at: Date | string | null }>(
      this.db,
      `SELECT u.id AS unit_id, u.name, u.uscc, b.institution_code, b.procurement_authorised_at
         FROM unit_operators b JOIN units u ON u.id = b.unit_id AND u.province_id = b.province_id
        WHERE b.province_id = $1 AND b.operator_id = $2 AND b.unbound_at IS NULL AND u.status = 'active'
        ORDER BY u.name, u.id`,
      [provinceId, operatorId],
    );
    return rows.map((r) => ({ unitId: r.unit_id, name: r.name, uscc: r.uscc, institutionCode: r.institution_code, procurementAuthorisedAt: r.procurement_authorised_at === null ? null : new Date(r.procurement_authorised_at) }));
  }

  /** 单位经办人 (JL-9): the operators bound to the unit now, by mobile. */
  async operatorsOfUnit(provinceId: ProvinceId, unitId: string): Promise<UnitOperatorRecord[]> {
    const rows = await queryRows<{ id: string; mobile: string; name: string; bound_at: Date | string; procurement_authorised_at: Date | string | null }>(
      this.db,
      `SELECT o.id, o.mobile, o.name, b.bound_at, b.procurement_authorised_at FROM unit_operators b JOIN operators o ON o.id = b.operator_id
        WHERE b.province_id = $1 AND b.unit_id = $2 AND b.unbound_at IS NULL ORDER BY b.bound_at, o.mobile`,
      [provinceId, unitId],
    );
    return rows.map((r) => ({ operatorId: r.id, mobile: r.mobile, name: r.name, boundAt: new Date(r.bound_at), procurementAuthorisedAt: r.procurement_authorised_at === null ? null : new Date(r.procurement_authorised_at) }));
  }

  /** 解除绑定 (JL-9, HN-5): the binding is closed, the operator's account stays; false when not bound. */
  async unbindOperator(provinceId: ProvinceId, unitId: string, operatorId: string, at: Date): Promise<boolean> {
    if (!isUuid(operatorId)) return false;
    const rows = await queryRows(this.db, `UPDATE unit_operators SET unbound_at = $4 WHERE province_id = $1 AND unit_id = $2 AND operator_id = $3 AND unbound_at IS NULL RETURNING unit_id`, [provinceId, unitId, operatorId, at]);
    return rows.length === 1;
  }

  /**
   * 注销网厅账号 (JL-8): the unit's hall account is marked deregistered and its operators unbound —
   * rows kept, times set — in the caller's transaction. The operators whose binding ended, or
   * undefined when the unit was not active.
   */
  async deregisterUnit(q: Queryable, provinceId: ProvinceId, unitId: string, at: Date): Promise<string[] | undefined> {
    const units = await queryRows(q, `UPDATE units SET status = 'deregistered', deregistered_at = $3 WHERE province_id = $1 AND id = $2 AND status = 'active' RETURNING id`, [provinceId, unitId, at]);
    if (units.length !== 1) return undefined;
    const bindings = await queryRows<{ operator_id: string }>(q, `UPDATE unit_operators SET unbound_at = $3 WHERE province_id = $1 AND unit_id = $2 AND unbound_at IS NULL RETURNING operator_id`, [provinceId, unitId, at]);
    return bindings.map((b) => b.operator_id);
  }

  async setOperatorPassword(operatorId: string, passwordHash: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE operators SET password_hash = $2, password_changed_at = $3 WHERE id = $1`, [operatorId, passwordHash, at]);
  }

  /** NM-5 for an operator at one unit; false when already chosen (or not bound). */
  async chooseOperatorInstitution(provinceId: ProvinceId, unitId: string, operatorId: string, code: string): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE unit_operators SET institution_code = $4 WHERE province_id = $1 AND unit_id = $2 AND operator_id = $3 AND unbound_at IS NULL AND institution_code IS NULL RETURNING unit_id`,
      [provinceId, unitId, operatorId, code],
    );
    return rows.length === 1;
  }

  private async oneUnit(q: Queryable, where: string, parameters: unknown[]): Promise<UnitRecord | undefined> {
    const rows = await queryRows<UnitRow>(q, `SELECT ${UNIT_COLUMNS} FROM units WHERE ${where}`, parameters);
    return rows[0] && toUnit(rows[0]);
  }
}

function toUnit(row: UnitRow): UnitRecord {
  return {
    id: row.id,
    provinceId: row.province_id as ProvinceId,
    uscc: row.uscc,
    name: row.name,
    details: row.details,
    accountName: row.account_name,
    passwordHash: row.password_hash,
    recoveryPhone: row.recovery_phone,
    status: row.status,
    institutionCode: row.institution_code,
  };
}

function toOperator(row: OperatorRow): OperatorRecord {
  return { id: row.id, mobile: row.mobile, name: row.name, idType: row.id_type, idNumber: row.id_number, passwordHash: row.password_hash, status: row.status };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
