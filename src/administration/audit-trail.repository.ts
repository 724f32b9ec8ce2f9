import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuditCursor, AuditQuery } from '#src/administration/audit-query.js';
import { likeEscape } from '#src/administration/directory.repository.js';
import { queryRows } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export interface AuditRow {
  id: string;
  at: Date;
  kind: string;
  outcome: 'success' | 'failure';
  actorKind: string | null;
  actorId: string | null;
  /** As recorded, else the actor's current account name (unit account, operator mobile, administrator). */
  account: string | null;
  unitId: string | null;
  unitName: string | null;
  unitUscc: string | null;
  clientIp: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
  cursor: AuditCursor;
}

/**
 * The filter with names resolved to ids in this province: a credit code to its unit, an account
 * name to the actors that bear it. `null` means the filter can match nothing here.
 */
export interface ResolvedAuditFilter {
  unitId?: string | null | undefined;
  actor?: { ids: string[]; account: string | undefined } | undefined;
  kindPrefix?: string | undefined;
  outcome?: 'success' | 'failure' | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * Reads the append-only audit trail of one province, newest first, by keyset on (at, id) so a page
 * costs the same however deep it is and rows written meanwhile never shift a page. Nothing here
 * writes: AuditLog appends, and the table's trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Injectable()
export class AuditTrailRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async resolve(provinceId: ProvinceId, query: AuditQuery): Promise<ResolvedAuditFilter> {
    const filter: ResolvedAuditFilter = { kindPrefix: query.kindPrefix, outcome: query.outcome, from: query.from, to: query.to };
    if (query.unit) {
      if ('id' in query.unit) filter.unitId = query.unit.id;
      else {
        const [unit] = await queryRows<{ id: string }>(this.db, `SELECT id FROM units WHERE province_id = $1 AND uscc = $2`, [provinceId, query.unit.uscc]);
        filter.unitId = unit?.id ?? null;
      }
    }
    if (query.actor) {
      if ('id' in query.actor) filter.actor = { ids: [query.actor.id], account: undefined };
      else {
        // Events name their actor by id; the account typed is only on sign-in events.
        const rows = await queryRows<{ id: string }>(
          this.db,
          `SELECT id FROM units WHERE province_id = $1 AND lower(account_name) = lower($2)
           UNION SELECT id FROM province_administrators WHERE province_id = $1 AND lower(account_name) = lower($2)
           UNION SELECT id FROM operators WHERE mobile = $2`,
          [provinceId, query.actor.account],
        );
        filter.actor = { ids: rows.map((r) => r.id), account: query.actor.account };
      }
    }
    return filter;
  }

  async page(provinceId: ProvinceId, filter: ResolvedAuditFilter, after: AuditCursor | undefined, limit: number): Promise<AuditRow[]> {
    if (filter.unitId === null) return [];
    const where = ['e.province_id = $1'];
    const params: unknown[] = [provinceId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.unitId) where.push(`e.unit_id = ${param(filter.unitId)}::uuid`);
    if (filter.actor) {
      const ids = `e.actor_id IN (SELECT jsonb_array_elements_text(${param(JSON.stringify(filter.actor.ids))}::jsonb)::uuid)`;
      where.push(filter.actor.account === undefined ? ids : `(${ids} OR lower(e.account) = lower(${param(filter.actor.account)}))`);
    }
    if (filter.kindPrefix) where.push(`e.kind LIKE ${param(`${likeEscape(filter.kindPrefix)}%`)}`);
    if (filter.outcome) where.push(`e.outcome = ${param(filter.outcome)}`);
    if (filter.from) where.push(`e.at >= ${param(filter.from)}`);
    if (filter.to) where.push(`e.at <= ${param(filter.to)}`);
    if (after) where.push(`(e.at, e.id) < (${param(after.at)}::timestamptz, ${param(after.id)}::bigint)`);
    const rows = await queryRows<Record<string, unknown>>(
      this.db,
      `SELECT e.id::text AS id, e.at, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
              e.kind, e.outcome, e.actor_kind, e.actor_id, e.unit_id, e.client_ip, e.request_id, e.detail,
              COALESCE(e.account, au.account_name, ao.mobile, aa.account_name) AS account,
              u.name AS unit_name, u.uscc AS unit_uscc
         FROM audit_events e
         LEFT JOIN units u ON u.id = e.unit_id AND u.province_id = e.province_id
         LEFT JOIN units au ON e.actor_kind = 'unit' AND au.id = e.actor_id AND au.province_id = e.province_id
         LEFT JOIN operators ao ON e.actor_kind = 'operator' AND ao.id = e.actor_id
         LEFT JOIN province_administrators aa ON e.actor_kind = 'administrator' AND aa.id = e.actor_id AND aa.province_id = e.province_id
        WHERE ${where.join(' AND ')}
        ORDER BY e.at DESC, e.id DESC
        LIMIT ${param(limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id as string,
      at: new Date(r.at as string),
      kind: r.kind as string,
      outcome: r.outcome as 'success' | 'failure',
      actorKind: (r.actor_kind as string | null) ?? null,
      actorId: (r.actor_id as string | null) ?? null,
      account: (r.account as string | null) ?? null,
      unitId: (r.unit_id as string | null) ?? null,
      unitName: (r.unit_name as string | null) ?? null,
      unitUscc: (r.unit_uscc as string | null) ?? null,
      clientIp: (r.client_ip as string | null) ?? null,
      requestId: (r.request_id as string | null) ?? null,
      detail: (r.detail as Record<string, unknown> | null) ?? {},
      cursor: { at: r.cursor_at as string, id: r.id as string },
    }));
  }

  /** Every matching row, newest first, in batches: a large export never sits in memory whole. */
  async *all(provinceId: ProvinceId, filter: ResolvedAuditFilter, batchSize: number): AsyncGenerator<AuditRow[]> {
    let after: AuditCursor | undefined;
    for (;;) {
      const rows = await this.page(provinceId, filter, after, batchSize);
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) return;
      after = rows.at(-1)?.cursor;
    }
  }
}
