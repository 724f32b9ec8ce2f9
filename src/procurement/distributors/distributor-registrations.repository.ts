import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUuid } from '#src/identity/accounts.repository.js';
import { queryRows, type Queryable } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export type RegistrationStatus = 'pending' | 'approved' | 'rejected';
export const REGISTRATION_STATUSES: readonly RegistrationStatus[] = ['pending', 'approved', 'rejected'];

/** A distributor's registration at the procurement subsystem (HN-10) and its review. */
export interface DistributorRegistration {
  id: string;
  provinceId: ProvinceId;
  /** What the registrant is shown and may quote: `PS20251126-7K3QX9`. */
  reference: string;
  uscc: string;
  unitName: string;
  contactName: string;
  contactMobile: string;
  loginName: string;
  passwordHash: string;
  status: RegistrationStatus;
  submittedAt: Date;
  decidedBy: string | undefined;
  decidedAt: Date | undefined;
  reason: string | undefined;
}

export type NewRegistration = Omit<DistributorRegistration, 'provinceId' | 'status' | 'decidedBy' | 'decidedAt' | 'reason'>;

interface Row {
  id: string;
  province_id: string;
  reference: string;
  uscc: string;
  unit_name: string;
  contact_name: string;
  contact_mobile: string;
  login_name: string;
  password_hash: string;
  status: RegistrationStatus;
  submitted_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  reason: string | null;
}

const COLUMNS = 'id, province_id, reference, uscc, unit_name, contact_name, contact_mobile, login_name, password_hash, status, submitted_at, decided_by, decided_at, reason';
/** A credit code or login name is held by a registration waiting or approved; a rejected one frees it. */
const HOLDING = `status IN ('pending', 'approved')`;

/** distributor_registrations; every query is scoped to a province. */
@Injectable()
export class DistributorRegistrationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  get dataSource(): DataSource {
    return this.db;
  }

  /** Throws a unique violation (`distributor_registrations_uscc_idx` / `_login_idx`) when a concurrent registration took the code or name. */
  async insert(q: Queryable, provinceId: ProvinceId, registration: NewRegistration): Promise<void> {
    const r = registration;
    await q.query(
      `INSERT INTO distributor_registrations (id, province_id, reference, uscc, unit_name, contact_name, contact_mobile, login_name, password_hash, status, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10)`,
      [r.id, provinceId, r.reference, r.uscc, r.unitName, r.contactName, r.contactMobile, r.loginName, r.passwordHash, r.submittedAt],
    );
  }

  /** `lock`: inside a transaction, held until it ends, so two decisions on one registration take turns. */
  async byId(q: Queryable, provinceId: ProvinceId, id: string, lock = false): Promise<DistributorRegistration | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await queryRows<Row>(q, `SELECT ${COLUMNS} FROM distributor_registrations WHERE province_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [provinceId, id]);
    return rows[0] && toRegistration(rows[0]);
  }

  /** The registration waiting or approved under this credit code, if any. */
  async holdingUscc(provinceId: ProvinceId, uscc: string): Promise<DistributorRegistration | undefined> {
    const rows = await queryRows<Row>(this.db, `SELECT ${COLUMNS} FROM distributor_registrations WHERE province_id = $1 AND uscc = $2 AND ${HOLDING}`, [provinceId, uscc]);
    return rows[0] && toRegistration(rows[0]);
  }

  async holdsLoginName(provinceId: ProvinceId, loginName: string): Promise<boolean> {
    const rows = await queryRows(this.db, `SELECT 1 FROM distributor_registrations WHERE province_id = $1 AND lower(login_name) = lower($2) AND ${HOLDING} LIMIT 1`, [provinceId, loginName]);
    return rows.length > 0;
  }

  /**
   * The registration under a login name that has no account (yet): the one waiting or approved
   * (at most one, by the unique index), else the latest rejected. An approved one is its account's
   * business.
   */
  async latestWithoutAccount(provinceId: ProvinceId, loginName: string): Promise<DistributorRegistration | undefined> {
    const rows = await queryRows<Row>(this.db, `SELECT ${COLUMNS} FROM distributor_registrations WHERE province_id = $1 AND lower(login_name) = lower($2) ORDER BY ${HOLDING} DESC, submitted_at DESC, id LIMIT 1`, [provinceId, loginName]);
    const latest = rows[0] && toRegistration(rows[0]);
    return latest?.status === 'approved' ? undefined : latest;
  }

  /** The administrators' queue: waiting ones first (oldest first), then the latest decided. */
  async queue(provinceId: ProvinceId, status: RegistrationStatus | 'all'): Promise<DistributorRegistration[]> {
    const rows = await queryRows<Row>(
      this.db,
      `SELECT ${COLUMNS} FROM distributor_registrations WHERE province_id = $1 AND ($2 = 'all' OR status = $2)
        ORDER BY (status = 'pending') DESC, CASE WHEN status = 'pending' THEN submitted_at END ASC, decided_at DESC NULLS LAST, id LIMIT 200`,
      [provinceId, status],
    );
    return rows.map(toRegistration);
  }

  async decide(q: Queryable, provinceId: ProvinceId, id: string, decision: { status: 'approved' | 'rejected'; decidedBy: string | undefined; at: Date; reason: string | undefined }): Promise<void> {
    await q.query(`UPDATE distributor_registrations SET status = $3, decided_by = $4, decided_at = $5, reason = $6 WHERE province_id = $1 AND id = $2`, [provinceId, id, decision.status, decision.decidedBy ?? null, decision.at, decision.reason ?? null]);
  }
}

function toRegistration(r: Row): DistributorRegistration {
  return {
    id: r.id,
    provinceId: r.province_id as ProvinceId,
    reference: r.reference,
    uscc: r.uscc,
    unitName: r.unit_name,
    contactName: r.contact_name,
    contactMobile: r.contact_mobile,
    loginName: r.login_name,
    passwordHash: r.password_hash,
    status: r.status,
    submittedAt: new Date(r.submitted_at),
    decidedBy: r.decided_by ?? undefined,
    decidedAt: r.decided_at === null ? undefined : new Date(r.decided_at),
    reason: r.reason ?? undefined,
  };
}
