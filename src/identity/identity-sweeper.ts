import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { PeriodicSweeper } from '#src/database/periodic-sweeper.js';

const SWEEP_EVERY_MS = 10 * 60 * 1000;
/** QR tickets stay an hour past expiry, so a late poll still reads "expired" rather than nothing. */
const QR_KEPT_MS = 3600 * 1000;

/** Expired sessions in the PostgreSQL store and spent QR tickets (Redis expires its own keys). */
@Injectable()
export class IdentitySweeper extends PeriodicSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(SWEEP_EVERY_MS, '清理过期会话');
  }

  async sweep(): Promise<void> {
    const now = this.clock.now();
    await this.db.query(`DELETE FROM sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1`, [now]);
    await this.db.query(`DELETE FROM qr_login_tickets WHERE expires_at <= $1`, [new Date(now.getTime() - QR_KEPT_MS)]);
  }
}
