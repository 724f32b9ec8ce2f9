import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ActorKind } from '#src/identity/sessions/session-store.js';
import { queryRows } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export interface CertificationRecord {
  actorKind: ActorKind;
  actorId: string;
  roleType: string;
  certifiedAt: Date;
}

/** A unit's role certifications (tenant rows: every query takes the ProvinceId and the unit). */
@Injectable()
export class CertificationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ofUnit(provinceId: ProvinceId, unitId: string): Promise<CertificationRecord[]> {
    const rows = await queryRows<{ actor_kind: ActorKind; actor_id: string; role_type: string; certified_at: Date | string }>(
      this.db,
      `SELECT actor_kind, actor_id, role_type, certified_at FROM unit_certifications WHERE province_id = $1 AND unit_id = $2 ORDER BY certified_at, role_type`,
      [provinceId, unitId],
    );
    return rows.map((r) => ({ actorKind: r.actor_kind, actorId: r.actor_id, roleType: r.role_type, certifiedAt: new Date(r.certified_at) }));
  }

  /** False when this actor already certified at this unit (one certification each, AH-4). */
  async insert(provinceId: ProvinceId, unitId: string, record: CertificationRecord): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `INSERT INTO unit_certifications (province_id, unit_id, actor_kind, actor_id, role_type, certified_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (unit_id, actor_kind, actor_id) DO NOTHING RETURNING unit_id`,
      [provinceId, unitId, record.actorKind, record.actorId, record.roleType, record.certifiedAt],
    );
    return rows.length === 1;
  }
}
