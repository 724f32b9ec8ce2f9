import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { auditCsvHeader, auditCsvLine, CSV_BOM } from '#src/administration/audit-csv.js';
import { auditQueryParams, encodeCursor, type AuditQuery } from '#src/administration/audit-query.js';
import { AuditTrailRepository } from '#src/administration/audit-trail.repository.js';
import { auditEventView, type AuditEventView } from '#src/administration/audit-view.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import { messagesFor } from '#src/portal/i18n/messages.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** Rows per statement of an export: small enough to hold, large enough to be quick. */
export const EXPORT_BATCH = 500;

export interface AuditPage {
  events: AuditEventView[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

/** The province's audit trail for its administrators: pages newest first, and the same filter as CSV. */
@Injectable()
export class AuditTrailService {
  constructor(
    @Inject(AuditTrailRepository) private readonly trail: AuditTrailRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async page(tenant: Tenant, query: AuditQuery): Promise<AuditPage> {
    const filter = await this.trail.resolve(tenant.provinceId, query);
    // One more than asked: whether it comes says if there is a next page.
    const rows = await this.trail.page(tenant.provinceId, filter, query.cursor, query.limit + 1);
    const shown = rows.slice(0, query.limit);
    const last = shown.at(-1);
    return { events: shown.map(auditEventView), nextCursor: rows.length > query.limit && last ? encodeCursor(last.cursor) : null };
  }

  /** The whole filtered trail as CSV, streamed batch by batch; the export itself goes into the trail first. */
  async csv(tenant: Tenant, query: AuditQuery, administrator: AdministratorRecord, origin: RequestOrigin): Promise<Readable> {
    const filter = await this.trail.resolve(tenant.provinceId, query);
    await this.audit.record(tenant.provinceId, origin, {
      kind: 'admin.audit.exported',
      outcome: 'success',
      actorKind: 'administrator',
      actorId: administrator.id,
      detail: { filter: Object.fromEntries(auditQueryParams(query)) },
    });
    const m = messagesFor(tenant.profile.branding.locale);
    const batches = this.trail.all(tenant.provinceId, filter, EXPORT_BATCH);
    async function* lines(): AsyncGenerator<string> {
      yield CSV_BOM + auditCsvHeader(m);
      for await (const rows of batches) yield rows.map((row) => auditCsvLine(auditEventView(row), m)).join('');
    }
    return Readable.from(lines());
  }
}
