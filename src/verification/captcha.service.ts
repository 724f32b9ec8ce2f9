import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import svgCaptcha from 'svg-captcha';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { queryRows } from '#src/sms/queryable.js';
import { verificationException, VerificationErrorCode } from '#src/verification/verification.exception.js';

export const CAPTCHA_TTL_SECONDS = 120;
/** Upper case and digits without look-alikes (0/O, 1/I/L, 2/Z, U/V); answers compare case-insensitively. */
export const CAPTCHA_ALPHABET = 'ABCDEFGHJKMNPQRSTWXY3456789';
export const CAPTCHA_LENGTH = 4;

// svg-captcha's documented `svgCaptcha(text, options)` draws a text we chose; its typings omit the call signature.
const drawCaptcha = svgCaptcha as unknown as (text: string, options: svgCaptcha.ConfigObject) => string;

export interface IssuedCaptcha {
  captchaId: string;
  svg: string;
  expiresInSeconds: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Graphic captchas drawn by svg-captcha, stored server-side (captchas table) for two minutes and
 * good for one check: consume() deletes the row whatever the answer, so each guess costs a new image.
 */
@Injectable()
export class CaptchaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(provinceId: string): Promise<IssuedCaptcha> {
    // The text comes from the CSPRNG: svg-captcha's own picks use Math.random, whose state its drawing exposes.
    const text = Array.from({ length: CAPTCHA_LENGTH }, () => CAPTCHA_ALPHABET[randomInt(CAPTCHA_ALPHABET.length)] ?? 'A').join('');
    const svg = drawCaptcha(text, { width: 120, height: 44, fontSize: 46, noise: 3, color: true, background: '#f4f6f8' });
    const captchaId = randomUUID();
    const now = this.clock.now();
    await this.db.query(`INSERT INTO captchas (id, province_id, answer, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      captchaId,
      provinceId,
      text.toLowerCase(),
      now,
      new Date(now.getTime() + CAPTCHA_TTL_SECONDS * 1000),
    ]);
    return { captchaId, svg, expiresInSeconds: CAPTCHA_TTL_SECONDS };
  }

  /** Single use: the captcha is gone after this call, right or wrong. Throws CAPTCHA_EXPIRED or CAPTCHA_WRONG. */
  async consume(provinceId: string, captchaId: string, answer: string): Promise<void> {
    if (!UUID.test(captchaId)) throw verificationException(VerificationErrorCode.CAPTCHA_EXPIRED, undefined, { captchaId: '图形验证码已过期或已使用' });
    const rows = await queryRows<{ province_id: string; answer: string; expires_at: Date | string }>(
      this.db,
      `DELETE FROM captchas WHERE id = $1 RETURNING province_id, answer, expires_at`,
      [captchaId],
    );
    const row = rows[0];
    if (row?.province_id !== provinceId || new Date(row.expires_at) <= this.clock.now()) {
      throw verificationException(VerificationErrorCode.CAPTCHA_EXPIRED, undefined, { captcha: '图形验证码已过期或已使用' });
    }
    if (row.answer !== answer.trim().toLowerCase()) throw verificationException(VerificationErrorCode.CAPTCHA_WRONG, undefined, { captcha: '图形验证码错误' });
  }

  /** Dev tools only: the answer of a live captcha. */
  async peek(captchaId: string): Promise<{ captchaId: string; provinceId: string; answer: string; expiresAt: Date } | undefined> {
    if (!UUID.test(captchaId)) return undefined;
    const rows = await this.db.query<Array<{ province_id: string; answer: string; expires_at: Date | string }>>(
      `SELECT province_id, answer, expires_at FROM captchas WHERE id = $1 AND expires_at > $2`,
      [captchaId, this.clock.now()],
    );
    const row = rows[0];
    return row ? { captchaId, provinceId: row.province_id, answer: row.answer, expiresAt: new Date(row.expires_at) } : undefined;
  }
}
