import type { Queryable } from '#src/sms/queryable.js';
import type { Clock } from '#src/clock/clock.js';
import type { SmsProvider, SmsToSend } from '#src/sms/providers/sms-provider.js';

export interface OutboxEntry {
  messageId: string;
  provinceId: string;
  phone: string;
  purpose: string;
  signName: string;
  text: string;
  createdAt: Date;
}

interface OutboxRow {
  message_id: string;
  province_id: string;
  phone: string;
  purpose: string;
  sign_name: string;
  text: string;
  created_at: Date | string;
}

/**
 * The default provider: the rendered text goes to the sms_outbox table instead of a phone (the dev
 * outbox shows it). Keyed by message id, as a provider with an idempotency key would be: a message
 * delivered twice by a worker that died after sending is stored once.
 */
export class OutboxSmsProvider implements SmsProvider {
  readonly name = 'outbox' as const;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {}

  async send(sms: SmsToSend): Promise<{ providerMessageId: string }> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `WITH inserted AS (
         INSERT INTO sms_outbox (message_id, province_id, phone, purpose, sign_name, text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (message_id) DO NOTHING
         RETURNING id)
       SELECT id FROM inserted UNION ALL SELECT id FROM sms_outbox WHERE message_id = $1 LIMIT 1`,
      [sms.messageId, sms.provinceId, sms.phone, sms.purpose, sms.signName, sms.text, this.clock.now()],
    );
    // A concurrent twin committed after this statement's snapshot: read it now.
    const id = rows[0]?.id ?? (await this.db.query<Array<{ id: string }>>(`SELECT id FROM sms_outbox WHERE message_id = $1`, [sms.messageId]))[0]?.id;
    return { providerMessageId: `outbox-${String(id)}` };
  }

  /** Newest first. */
  async list(filter: { phone?: string; provinceId?: string }, limit = 50): Promise<OutboxEntry[]> {
    const rows = await this.db.query<OutboxRow[]>(
      `SELECT message_id, province_id, phone, purpose, sign_name, text, created_at FROM sms_outbox
        WHERE ($1::text IS NULL OR phone = $1) AND ($2::text IS NULL OR province_id = $2)
        ORDER BY id DESC LIMIT $3`,
      [filter.phone ?? null, filter.provinceId ?? null, limit],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      provinceId: row.province_id,
      phone: row.phone,
      purpose: row.purpose,
      signName: row.sign_name,
      text: row.text,
      createdAt: new Date(row.created_at),
    }));
  }
}
