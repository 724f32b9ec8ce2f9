import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUuid } from '#src/identity/accounts.repository.js';
import { queryRows, type Queryable } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export type AdministratorStatus = 'active' | 'disabled';

export interface AdministratorRecord {
  id: string;
  provinceId: ProvinceId;
  accountName: string;
  displayName: string | null;
  passwordHash: string;
  status: AdministratorStatus;
  createdAt: Date;
}

interface AdministratorRow {
  id: string;
  province_id: string;
  account_name: string;
  display_name: string | null;
  password_hash: string;
  status: AdministratorStatus;
  created_at: Date | string;
}

const COLUMNS = 'id, province_id, account_name, display_name, password_hash, status, created_at';

/** The province administrators (tenant rows: every query takes the ProvinceId). */
@Injectable()
export class AdministratorsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  byAccountName(provinceId: ProvinceId, accountName: string, q: Queryable = this.db): Promise<AdministratorRecord | undefined> {
    return administratorByAccountName(q, provinceId, accountName);
  }

  byId(provinceId: ProvinceId, id: string, q: Queryable = this.db): Promise<AdministratorRecord | undefined> {
    if (!isUuid(id)) return Promise.resolve(undefined);
    return one(q, `province_id = $1 AND id = $2`, [provinceId, id]);
  }
}

/** Also used by the CLI, which has a DataSource but no Nest container. */
export async function insertAdministrator(q: Queryable, record: Omit<AdministratorRecord, 'status'>): Promise<void> {
  await q.query(
    `INSERT INTO province_administrators (id, province_id, account_name, display_name, password_hash, status, created_at, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, 'active', $6, $6)`,
    [record.id, record.provinceId, record.accountName, record.displayName, record.passwordHash, record.createdAt],
  );
}

export function administratorByAccountName(q: Queryable, provinceId: ProvinceId, accountName: string): Promise<AdministratorRecord | undefined> {
  return one(q, `province_id = $1 AND lower(account_name) = lower($2)`, [provinceId, accountName]);
}

async function one(q: Queryable, where: string, parameters: unknown[]): Promise<AdministratorRecord | undefined> {
  const rows = await queryRows<AdministratorRow>(q, `SELECT ${COLUMNS} FROM province_administrators WHERE ${where}`, parameters);
  const row = rows[0];
  return (
    row && {
      id: row.id,
      provinceId: row.province_id as ProvinceId,
      accountName: row.account_name,
      displayName: row.display_name,
      passwordHash: row.password_hash,
      status: row.status,
      createdAt: new Date(row.created_at),
    }
  );
}
