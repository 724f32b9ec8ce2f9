import { queryRows, type Queryable } from '#src/sms/queryable.js';
import { SMS_STATUSES, type SmsStatus } from '#src/sms/sms-message.entity.js';

export interface NewSmsMessage {
  id: string;
  provinceId: string;
  phone: string;
  purpose: string;
  signName: string;
  payload: Buffer;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface ClaimedSmsMessage {
  id: string;
  provinceId: string;
  phone: string;
  purpose: string;
  signName: string;
  attempts: number;
  payload: Uint8Array | null;
  expiresAt: Date | null;
}

interface ClaimRow {
  id: string;
  province_id: string;
  phone: string;
  purpose: string;
  sign_name: string;
  attempts: number;
  payload: Uint8Array | null;
  expires_at: Date | string | null;
}

/** sms_messages state changes, each a single conditional UPDATE so two workers cannot both win. */
export class SmsMessageStore {
  constructor(private readonly db: Queryable) {}

  async insert(message: NewSmsMessage, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO sms_messages (id, province_id, phone, purpose, sign_name, status, attempts, payload, created_at, updated_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, $7, $8)`,
      [message.id, message.provinceId, message.phone, message.purpose, message.signName, message.payload, message.createdAt, message.expiresAt],
    );
  }

  /**
   * The sent flag checked before the provider call: only a message not yet sent (nor dead) is
   * claimed, and claiming counts the attempt. `sending` is claimable again: its worker died.
   */
  async claim(id: string, now: Date): Promise<ClaimedSmsMessage | undefined> {
    const rows = await queryRows<ClaimRow>(
      this.db,
      `UPDATE sms_messages SET status = 'sending', attempts = attempts + 1, updated_at = $2
        WHERE id = $1 AND status IN ('queued', 'sending', 'failed')
        RETURNING id, province_id, phone, purpose, sign_name, attempts, payload, expires_at`,
      [id, now],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      provinceId: row.province_id,
      phone: row.phone,
      purpose: row.purpose,
      signName: row.sign_name,
      attempts: row.attempts,
      payload: row.payload,
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    };
  }

  async markSent(id: string, provider: string, providerMessageId: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE sms_messages SET status = 'sent', provider = $2, provider_message_id = $3, sent_at = $4, updated_at = $4, payload = NULL, last_error = NULL
        WHERE id = $1`,
      [id, provider, providerMessageId, now],
    );
  }

  /** A failed try: `failed` while a retry is due, `dead` (payload wiped) when none will come. */
  async markFailed(id: string, provider: string, error: string, final: boolean, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE sms_messages SET status = $2, provider = $3, last_error = $4, updated_at = $5, payload = CASE WHEN $2 = 'dead' THEN NULL ELSE payload END
        WHERE id = $1 AND status <> 'sent'`,
      [id, final ? 'dead' : 'failed', provider, error.slice(0, 500), now],
    );
  }

  async status(id: string): Promise<SmsStatus | undefined> {
    const rows = await this.db.query<Array<{ status: SmsStatus }>>(`SELECT status FROM sms_messages WHERE id = $1`, [id]);
    return rows[0]?.status;
  }

  /** Messages that never finished and whose code is still worth sending: boot recovery enqueues them again. */
  async unfinished(now: Date, limit = 1000): Promise<Array<{ id: string; provinceId: string }>> {
    const rows = await this.db.query<Array<{ id: string; province_id: string }>>(
      `SELECT id, province_id FROM sms_messages
        WHERE status IN ('queued', 'sending', 'failed') AND (expires_at IS NULL OR expires_at > $1)
        ORDER BY created_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({ id: row.id, provinceId: row.province_id }));
  }

  /** Unfinished messages whose code expired meanwhile: dead, and their payload wiped. */
  async expireStale(now: Date): Promise<number> {
    const rows = await queryRows(
      this.db,
      `UPDATE sms_messages SET status = 'dead', payload = NULL, last_error = '验证码已过期，未发送', updated_at = $1
        WHERE status IN ('queued', 'sending', 'failed') AND expires_at <= $1 RETURNING id`,
      [now],
    );
    return rows.length;
  }

  /** Messages created since `since`, by status: the delivery counts on /health and /metrics. */
  async countByStatus(since: Date): Promise<Record<SmsStatus, number>> {
    const rows = await this.db.query<Array<{ status: SmsStatus; count: number | string }>>(
      `SELECT status, count(*) AS count FROM sms_messages WHERE created_at >= $1 GROUP BY status`,
      [since],
    );
    const counts = Object.fromEntries(SMS_STATUSES.map((s) => [s, 0])) as Record<SmsStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }
}
