import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUuid } from '#src/identity/accounts.repository.js';
import { queryRows, type Queryable } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

/**
 * Who an account of the procurement subsystem is: the unit's main account and its operators (both
 * come from the hall, XZ-11), a branch sub-account (AH-6), a special institution (AH-7) or a
 * distributor approved after registering at the subsystem itself (HN-10), the last three logging in
 * at the subsystem's own page.
 */
export type ProcurementAccountKind = 'unit' | 'operator' | 'branch' | 'special' | 'distributor';

/** The kinds with a login name and password of their own, who sign in at `/{id}/procurement/login`. */
export const LOCAL_ACCOUNT_KINDS: ReadonlySet<ProcurementAccountKind> = new Set(['branch', 'special', 'distributor']);

export interface ProcurementAccount {
  id: string;
  provinceId: ProvinceId;
  unitId: string | undefined;
  kind: ProcurementAccountKind;
  /** The unit (kind unit) or operator (kind operator) of the hall this account stands for. */
  hallActorId: string | undefined;
  loginName: string | undefined;
  passwordHash: string | undefined;
  displayName: string;
  details: Record<string, string>;
  status: 'active' | 'disabled';
  createdBy: string;
  createdAt: Date;
  firstEnteredAt: Date | undefined;
  /** HN-10: the approved registration that is a distributor's unit record in procurement. */
  distributorRegistrationId: string | undefined;
}

interface Row {
  id: string;
  province_id: string;
  unit_id: string | null;
  kind: ProcurementAccountKind;
  hall_actor_id: string | null;
  login_name: string | null;
  password_hash: string | null;
  display_name: string;
  details: Record<string, string>;
  status: 'active' | 'disabled';
  created_by: string;
  created_at: Date | string;
  first_entered_at: Date | string | null;
  distributor_registration_id: string | null;
}

const COLUMNS = 'id, province_id, unit_id, kind, hall_actor_id, login_name, password_hash, display_name, details, status, created_by, created_at, first_entered_at, distributor_registration_id';

export interface NewLocalAccount {
  kind: 'branch' | 'special' | 'distributor';
  unitId: string | undefined;
  loginName: string;
  passwordHash: string;
  displayName: string;
  details: Record<string, string>;
  /** Who made it: `unit:<id>` (AH-6, the main account) or `administrator:<id>` (AH-7, HN-10). */
  createdBy: string;
  /** HN-10: the registration a distributor account was approved from. */
  distributorRegistrationId?: string | undefined;
}

/** Procurement accounts; every query is scoped to a province. */
@Injectable()
export class ProcurementAccountsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async byId(provinceId: ProvinceId, id: string): Promise<ProcurementAccount | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await queryRows<Row>(this.db, `SELECT ${COLUMNS} FROM procurement_accounts WHERE province_id = $1 AND id = $2`, [provinceId, id]);
    return rows[0] && toAccount(rows[0]);
  }

  async byLoginName(provinceId: ProvinceId, loginName: string): Promise<ProcurementAccount | undefined> {
    const rows = await queryRows<Row>(this.db, `SELECT ${COLUMNS} FROM procurement_accounts WHERE province_id = $1 AND lower(login_name) = lower($2)`, [provinceId, loginName]);
    return rows[0] && toAccount(rows[0]);
  }

  /**
   * The account a hall actor enters as, made on their first entry (XZ-11: only then does an
   * operator appear in the unit's account list). Concurrent first entries meet on the unique index.
   */
  async enterFromHall(provinceId: ProvinceId, unitId: string, kind: 'unit' | 'operator', hallActorId: string, displayName: string, at: Date): Promise<ProcurementAccount> {
    const rows = await queryRows<Row>(
      this.db,
      `INSERT INTO procurement_accounts (id, province_id, unit_id, kind, hall_actor_id, display_name, details, status, created_by, created_at, first_entered_at, last_entered_at)
       VALUES ($1, $2, $3, $4, $5, $6, '{}', 'active', $7, $8, $8, $8)
       ON CONFLICT (province_id, unit_id, kind, hall_actor_id) WHERE hall_actor_id IS NOT NULL
       DO UPDATE SET last_entered_at = EXCLUDED.last_entered_at, display_name = EXCLUDED.display_name
       RETURNING ${COLUMNS}`,
      [randomUUID(), provinceId, unitId, kind, hallActorId, displayName, `${kind}:${hallActorId}`, at],
    );
    const row = rows[0];
    if (!row) throw new Error('procurement account upsert returned nothing');
    return toAccount(row);
  }

  /** A sub-account, special institution or distributor account; throws a unique violation when the name is taken. */
  async insertLocal(q: Queryable, provinceId: ProvinceId, account: NewLocalAccount, at: Date): Promise<string> {
    const id = randomUUID();
    await q.query(
      `INSERT INTO procurement_accounts (id, province_id, unit_id, kind, login_name, password_hash, display_name, details, status, created_by, created_at, distributor_registration_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10, $11)`,
      [id, provinceId, account.unitId ?? null, account.kind, account.loginName, account.passwordHash, account.displayName, JSON.stringify(account.details), account.createdBy, at, account.distributorRegistrationId ?? null],
    );
    return id;
  }

  /** HN-11: the distributor account whose registration carries this credit code (one at most: the registrations' unique index). */
  async distributorByUscc(provinceId: ProvinceId, uscc: string): Promise<ProcurementAccount | undefined> {
    const rows = await queryRows<Row>(this.db, `SELECT ${COLUMNS} FROM procurement_accounts WHERE province_id = $1 AND kind = 'distributor' AND details->>'uscc' = $2 ORDER BY created_at DESC LIMIT 1`, [provinceId, uscc]);
    return rows[0] && toAccount(rows[0]);
  }

  async markEntered(provinceId: ProvinceId, id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE procurement_accounts SET first_entered_at = coalesce(first_entered_at, $3), last_entered_at = $3 WHERE province_id = $1 AND id = $2`, [provinceId, id, at]);
  }

  /** Accounts of one kind at a unit (the branch sub-accounts of a main hospital, AH-6). */
  async ofUnit(provinceId: ProvinceId, unitId: string, kind: ProcurementAccountKind): Promise<ProcurementAccount[]> {
    const rows = await queryRows<Row>(this.db, `SELECT ${COLUMNS} FROM procurement_accounts WHERE province_id = $1 AND unit_id = $2 AND kind = $3 ORDER BY created_at, id`, [provinceId, unitId, kind]);
    return rows.map(toAccount);
  }

  /** Special institution accounts of a province (AH-7), for its administrators. */
  async special(provinceId: ProvinceId): Promise<ProcurementAccount[]> {
    const rows = await queryRows<Row>(this.db, `SELECT ${COLUMNS} FROM procurement_accounts WHERE province_id = $1 AND kind = 'special' ORDER BY created_at, id`, [provinceId]);
    return rows.map(toAccount);
  }

  /** Whether some account of the province already stands for this institution code. */
  async institutionTaken(provinceId: ProvinceId, institutionCode: string): Promise<boolean> {
    const rows = await queryRows(this.db, `SELECT 1 FROM procurement_accounts WHERE province_id = $1 AND details->>'institutionCode' = $2 LIMIT 1`, [provinceId, institutionCode]);
    return rows.length > 0;
  }
}

function toAccount(r: Row): ProcurementAccount {
  return {
    id: r.id,
    provinceId: r.province_id as ProvinceId,
    unitId: r.unit_id ?? undefined,
    kind: r.kind,
    hallActorId: r.hall_actor_id ?? undefined,
    loginName: r.login_name ?? undefined,
    passwordHash: r.password_hash ?? undefined,
    displayName: r.display_name,
    details: r.details,
    status: r.status,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    firstEnteredAt: r.first_entered_at === null ? undefined : new Date(r.first_entered_at),
    distributorRegistrationId: r.distributor_registration_id ?? undefined,
  };
}
