import type { DataSource } from 'typeorm';
import { queryRows } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';
import type { ActorKind, SessionData, SessionRealm, SessionStore } from '#src/identity/sessions/session-store.js';

interface SessionRow {
  province_id: string;
  realm: SessionRealm;
  actor_kind: ActorKind;
  actor_id: string;
  data: { unitId?: string; method: string };
  created_at: Date | string;
  last_seen_at: Date | string;
  idle_expires_at: Date | string;
  absolute_expires_at: Date | string;
}

/** Sessions in the `sessions` table (the embedded default, and any deployment without Redis). */
export class PgSessionStore implements SessionStore {
  constructor(private readonly db: DataSource) {}

  async create(idHash: Buffer, s: SessionData): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (id_hash, province_id, realm, actor_kind, actor_id, data, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [idHash, s.provinceId, s.realm, s.actorKind, s.actorId, JSON.stringify(payload(s)), new Date(s.createdAt), new Date(s.lastSeenAt), new Date(s.idleExpiresAt), new Date(s.absoluteExpiresAt)],
    );
  }

  async get(idHash: Buffer): Promise<SessionData | undefined> {
    const rows = await queryRows<SessionRow>(this.db, `SELECT province_id, realm, actor_kind, actor_id, data, created_at, last_seen_at, idle_expires_at, absolute_expires_at FROM sessions WHERE id_hash = $1`, [idHash]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      provinceId: row.province_id as ProvinceId,
      realm: row.realm,
      actorKind: row.actor_kind,
      actorId: row.actor_id,
      unitId: row.data.unitId,
      method: row.data.method,
      createdAt: new Date(row.created_at).getTime(),
      lastSeenAt: new Date(row.last_seen_at).getTime(),
      idleExpiresAt: new Date(row.idle_expires_at).getTime(),
      absoluteExpiresAt: new Date(row.absolute_expires_at).getTime(),
    };
  }

  async update(idHash: Buffer, s: SessionData): Promise<void> {
    await this.db.query(`UPDATE sessions SET data = $2, last_seen_at = $3, idle_expires_at = $4 WHERE id_hash = $1`, [idHash, JSON.stringify(payload(s)), new Date(s.lastSeenAt), new Date(s.idleExpiresAt)]);
  }

  async delete(idHash: Buffer): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
  }

  async deleteByActor(actorKind: ActorKind, actorId: string, filter?: { provinceId: ProvinceId; realm: SessionRealm }): Promise<number> {
    const rows = filter
      ? await queryRows(this.db, `DELETE FROM sessions WHERE actor_kind = $1 AND actor_id = $2 AND province_id = $3 AND realm = $4 RETURNING id_hash`, [actorKind, actorId, filter.provinceId, filter.realm])
      : await queryRows(this.db, `DELETE FROM sessions WHERE actor_kind = $1 AND actor_id = $2 RETURNING id_hash`, [actorKind, actorId]);
    return rows.length;
  }
}

function payload(s: SessionData): { unitId?: string; method: string } {
  return s.unitId === undefined ? { method: s.method } : { unitId: s.unitId, method: s.method };
}
