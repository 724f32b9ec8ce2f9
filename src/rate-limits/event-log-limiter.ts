import type { DataSource } from 'typeorm';
import { checkLimits, type RateLimit } from '#src/rate-limits/sliding-window.js';

/** The little of a DataSource the limiter uses (a spec passes a fake). */
export type Queryable = Pick<DataSource, 'query'>;

/**
 * A sliding-window limit over a log in PostgreSQL (`rate_limit_events`, on PGlite too), so every
 * node counts the same events and a restart forgets none. Time comes from the app's clock, so a
 * test moves it rather than waiting, and the Retry-After is exact (the SMS limits' arithmetic).
 * Check and record are separate statements: two requests racing may both pass the last free slot,
 * which is fine for what it guards (feedback screenshots), not for anything that must be exact.
 */
export class EventLogLimiter {
  constructor(
    private readonly db: Queryable,
    /** Which limit the rows belong to (`feedback`). */
    private readonly kind: string,
    private readonly limit: RateLimit,
    private readonly now: () => Date,
  ) {}

  /** Seconds until `subject` may act again in the province, or 0 when it may now. */
  async retryAfterSeconds(provinceId: string, subject: string): Promise<number> {
    const now = this.now();
    const rows = await this.db.query<Array<{ at: Date | string }>>(`SELECT at FROM rate_limit_events WHERE kind = $1 AND province_id = $2 AND subject = $3 AND at > $4`, [
      this.kind,
      provinceId,
      subject,
      this.windowStart(now),
    ]);
    return checkLimits(
      rows.map((row) => new Date(row.at)),
      [this.limit],
      now,
    ).retryAfterSeconds;
  }

  async record(provinceId: string, subject: string): Promise<void> {
    await this.db.query(`INSERT INTO rate_limit_events (kind, province_id, subject, at) VALUES ($1, $2, $3, $4)`, [this.kind, provinceId, subject, this.now()]);
  }

  /** Drops the rows no window can see any more (a PeriodicSweeper calls it). */
  async sweep(): Promise<void> {
    await this.db.query(`DELETE FROM rate_limit_events WHERE kind = $1 AND at <= $2`, [this.kind, this.windowStart(this.now())]);
  }

  private windowStart(now: Date): Date {
    return new Date(now.getTime() - this.limit.windowSeconds * 1000);
  }
}
