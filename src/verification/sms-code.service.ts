import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { SMS_PURPOSES, type ProvinceProfile, type SmsPurpose } from '#src/profiles/profile.schema.js';
import { queryRows } from '#src/sms/queryable.js';
import { SmsOutbound } from '#src/sms/sms-outbound.js';
import { CaptchaService } from '#src/verification/captcha.service.js';
import { CodeDigest, generateCode, type CodeBinding } from '#src/verification/code-digest.js';
import { checkLimits } from '#src/rate-limits/sliding-window.js';
import { effectivePhoneLimits, resendAfterSeconds } from '#src/verification/send-limits.js';
import { verificationException, VerificationErrorCode } from '#src/verification/verification.exception.js';

/** Mainland mobile numbers: 11 digits starting 13-19. */
export const CN_MOBILE = /^1[3-9]\d{9}$/;

export interface SmsCodeRequest {
  /** Province id or GB/T 2260 code. */
  province: string;
  phone: string;
  purpose: string;
  captchaId: string;
  captcha: string;
  /** The caller's address, for the per-IP limit. */
  ip: string;
}

export interface SmsCodeIssued {
  resendAfterSeconds: number;
  expiresInSeconds: number;
}

export interface SmsCodeCheck extends CodeBinding {
  code: string;
}

interface ActiveCodeRow {
  id: string;
  code_hash: Uint8Array;
  attempts: number;
  max_attempts: number;
  expires_at: Date | string;
}

/**
 * SMS codes (DESIGN.md, SMS): issued after a graphic captcha and within the send limits, stored as
 * a digest bound to province + phone + purpose, valid for the profile's TTL, single use, killed
 * after the profile's number of wrong tries. verify() is the API the other rooms call.
 */
@Injectable()
export class SmsCodeService {
  private readonly digest: CodeDigest;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(SmsOutbound) private readonly outbound: SmsOutbound,
  ) {
    this.digest = new CodeDigest(config.sms.codeSecret);
  }

  async request(input: SmsCodeRequest): Promise<SmsCodeIssued> {
    const { profile } = this.registry.require(input.province);
    const purpose = this.checkInput(profile, input.phone, input.purpose);
    await this.captchas.consume(profile.id, input.captchaId, input.captcha);

    const code = generateCode();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + profile.sms.codeTtlSeconds * 1000);
    const phoneLimits = effectivePhoneLimits(profile.sms.perPhoneLimits);
    const ipLimits = [profile.sms.perIpLimit];
    const phoneSubject = `phone:${input.phone}`;
    const ipSubject = `ip:${input.ip}`;

    const outcome = await this.db.transaction(async (tx) => {
      // Serialise sends per phone and per IP, so two requests racing cannot both take the last slot.
      for (const subject of [phoneSubject, ipSubject].sort()) {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`sms:${profile.id}:${subject}`]);
      }
      const since = new Date(now.getTime() - Math.max(...[...phoneLimits, ...ipLimits].map((l) => l.windowSeconds)) * 1000);
      const log = await sendLog(tx, profile.id, [phoneSubject, ipSubject], since);
      const phoneSends = log.get(phoneSubject) ?? [];
      const phoneVerdict = checkLimits(phoneSends, phoneLimits, now);
      if (!phoneVerdict.allowed) return { kind: 'limited', code: VerificationErrorCode.SMS_PHONE_LIMITED, retryAfterSeconds: phoneVerdict.retryAfterSeconds } as const;
      const ipVerdict = checkLimits(log.get(ipSubject) ?? [], ipLimits, now);
      if (!ipVerdict.allowed) return { kind: 'limited', code: VerificationErrorCode.SMS_IP_LIMITED, retryAfterSeconds: ipVerdict.retryAfterSeconds } as const;

      await tx.query(`INSERT INTO sms_send_log (province_id, subject, sent_at) VALUES ($1, $2, $3), ($1, $4, $3)`, [profile.id, phoneSubject, now, ipSubject]);
      await tx.query(`UPDATE sms_codes SET state = 'replaced', closed_at = $4 WHERE province_id = $1 AND phone = $2 AND purpose = $3 AND state = 'active'`, [
        profile.id,
        input.phone,
        purpose,
        now,
      ]);
      const messageId = await this.outbound.record(tx, { provinceId: profile.id, phone: input.phone, purpose, signName: profile.sms.signName, code, expiresAt });
      await tx.query(
        `INSERT INTO sms_codes (id, province_id, phone, purpose, code_hash, state, attempts, max_attempts, message_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'active', 0, $6, $7, $8, $9)`,
        [randomUUID(), profile.id, input.phone, purpose, this.digest.digest({ provinceId: profile.id, phone: input.phone, purpose }, code), profile.sms.maxVerifyAttempts, messageId, now, expiresAt],
      );
      return { kind: 'issued', messageId, resendAfterSeconds: resendAfterSeconds(phoneSends, phoneLimits, now) } as const;
    });

    if (outcome.kind === 'limited') {
      const seconds = outcome.retryAfterSeconds;
      throw verificationException(outcome.code, `${outcome.code === VerificationErrorCode.SMS_PHONE_LIMITED ? '该手机号' : '当前网络'}获取验证码过于频繁，请 ${formatWait(seconds)}后再试`, undefined, {
        retryAfterSeconds: seconds,
      });
    }
    try {
      await this.outbound.dispatch(outcome.messageId, profile.id);
    } catch {
      await this.db.query(`UPDATE sms_codes SET state = 'dead', closed_at = $2 WHERE message_id = $1 AND state = 'active'`, [outcome.messageId, this.clock.now()]);
      throw verificationException(VerificationErrorCode.SMS_QUEUE_UNAVAILABLE);
    }
    return { resendAfterSeconds: outcome.resendAfterSeconds, expiresInSeconds: profile.sms.codeTtlSeconds };
  }

  /**
   * The verify API: resolves when the code is right (and uses it up); throws SMS_CODE_WRONG (with
   * the tries left), SMS_CODE_LOCKED (that was the last try) or SMS_CODE_EXPIRED (none active:
   * never sent, expired, used, replaced or killed).
   */
  async verify(check: SmsCodeCheck): Promise<void> {
    const { profile } = this.registry.require(check.provinceId);
    const binding: CodeBinding = { provinceId: profile.id, phone: check.phone, purpose: check.purpose };
    const now = this.clock.now();
    const rows = await this.db.query<ActiveCodeRow[]>(
      `SELECT id, code_hash, attempts, max_attempts, expires_at FROM sms_codes WHERE province_id = $1 AND phone = $2 AND purpose = $3 AND state = 'active'`,
      [binding.provinceId, binding.phone, binding.purpose],
    );
    const row = rows[0];
    if (!row || new Date(row.expires_at) <= now) {
      throw verificationException(VerificationErrorCode.SMS_CODE_EXPIRED, undefined, { smsCode: '短信验证码已过期或已使用' });
    }
    if (/^\d{6}$/.test(check.code) && this.digest.matches(row.code_hash, binding, check.code)) {
      // Conditional: of two requests racing with the right code, one wins.
      const used = await queryRows(this.db, `UPDATE sms_codes SET state = 'used', closed_at = $2 WHERE id = $1 AND state = 'active' RETURNING id`, [row.id, now]);
      if (used.length === 1) return;
      throw verificationException(VerificationErrorCode.SMS_CODE_EXPIRED, undefined, { smsCode: '短信验证码已过期或已使用' });
    }
    const counted = await queryRows<{ attempts: number; max_attempts: number; state: string }>(
      this.db,
      `UPDATE sms_codes SET attempts = attempts + 1,
              state = CASE WHEN attempts + 1 >= max_attempts THEN 'dead' ELSE state END,
              closed_at = CASE WHEN attempts + 1 >= max_attempts THEN $2 ELSE closed_at END
        WHERE id = $1 AND state = 'active' RETURNING attempts, max_attempts, state`,
      [row.id, now],
    );
    const after = counted[0];
    if (!after) throw verificationException(VerificationErrorCode.SMS_CODE_EXPIRED, undefined, { smsCode: '短信验证码已过期或已使用' });
    if (after.state === 'dead') throw verificationException(VerificationErrorCode.SMS_CODE_LOCKED, undefined, { smsCode: '错误次数过多，验证码已失效' });
    const left = after.max_attempts - after.attempts;
    throw verificationException(VerificationErrorCode.SMS_CODE_WRONG, `短信验证码错误，还可尝试 ${left} 次`, { smsCode: '短信验证码错误' }, { attemptsLeft: left });
  }

  private checkInput(profile: ProvinceProfile, phone: string, purpose: string): SmsPurpose {
    if (!CN_MOBILE.test(phone)) throw verificationException(VerificationErrorCode.PHONE_INVALID, undefined, { phone: '手机号格式不正确' });
    const offered = profile.sms.purposes as readonly string[];
    if (!(SMS_PURPOSES as readonly string[]).includes(purpose) || !offered.includes(purpose)) {
      throw verificationException(
        VerificationErrorCode.SMS_PURPOSE_NOT_AVAILABLE,
        `${profile.name}未开通用途“${purpose}”的短信验证码（可用：${offered.join('、') || '无'}）`,
        { purpose: '本省不支持该用途' },
        { purposes: offered },
      );
    }
    return purpose as SmsPurpose;
  }
}

async function sendLog(tx: EntityManager, provinceId: string, subjects: string[], since: Date): Promise<Map<string, Date[]>> {
  const rows = await tx.query<Array<{ subject: string; sent_at: Date | string }>>(
    `SELECT subject, sent_at FROM sms_send_log WHERE province_id = $1 AND subject = ANY($2) AND sent_at > $3`,
    [provinceId, subjects, since],
  );
  const bySubject = new Map<string, Date[]>();
  for (const row of rows) bySubject.set(row.subject, [...(bySubject.get(row.subject) ?? []), new Date(row.sent_at)]);
  return bySubject;
}

function formatWait(seconds: number): string {
  if (seconds < 120) return `${seconds} 秒`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} 分钟`;
  return `${Math.ceil(seconds / 3600)} 小时`;
}
