import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { PeriodicSweeper } from '#src/database/periodic-sweeper.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { effectivePhoneLimits, longestWindowSeconds } from '#src/verification/send-limits.js';

const SWEEP_EVERY_MS = 10 * 60 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** Delivered messages and the outbox are kept this long for support questions, then dropped. */
const MESSAGE_RETENTION_MS = 30 * DAY_MS;

/** Deletes what can no longer matter: expired captchas and codes, send-log rows past every window. */
@Injectable()
export class VerificationSweeper extends PeriodicSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {
    super(SWEEP_EVERY_MS, '清理过期验证码');
  }

  async sweep(): Promise<void> {
    const now = this.clock.now().getTime();
    const windows = this.registry.current().profiles.flatMap(({ profile }) => [...effectivePhoneLimits(profile.sms.perPhoneLimits), profile.sms.perIpLimit]);
    const logKeptMs = Math.max(DAY_MS, longestWindowSeconds(windows) * 1000);
    await this.db.query(`DELETE FROM captchas WHERE expires_at <= $1`, [new Date(now)]);
    await this.db.query(`DELETE FROM sms_codes WHERE expires_at <= $1`, [new Date(now - DAY_MS)]);
    await this.db.query(`DELETE FROM sms_send_log WHERE sent_at <= $1`, [new Date(now - logKeptMs)]);
    await this.db.query(`DELETE FROM sms_outbox WHERE created_at <= $1`, [new Date(now - MESSAGE_RETENTION_MS)]);
    await this.db.query(`DELETE FROM sms_messages WHERE created_at <= $1 AND status IN ('sent', 'dead')`, [new Date(now - MESSAGE_RETENTION_MS)]);
  }
}
