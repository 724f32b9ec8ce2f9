import type { Clock } from '#src/clock/clock.js';
import type { PayloadSealer } from '#src/sms/payload-sealer.js';
import { SmsProviderError, type SmsProvider } from '#src/sms/providers/sms-provider.js';
import type { SmsMessageStore } from '#src/sms/sms-message.store.js';
import { PermanentJobError, SMS_DELIVERY_ATTEMPTS, type SmsJob } from '#src/sms/sms-queue.js';

export type DeliveryOutcome = 'sent' | 'skipped' | 'retry' | 'dead';

export type DeliveryListener = (outcome: DeliveryOutcome, provider: string, job: SmsJob) => void;

/**
 * The job handler both queue adapters run. At-least-once delivery made idempotent: the message is
 * claimed only while not yet sent (the sent flag, checked before the provider is called), and
 * marked sent right after the provider accepts it. A worker killed between those two steps leaves
 * the message `sending`, and the retry sends it again: the outbox provider stores it once (keyed by
 * message id); aliyun/tencent receive our message id (OutId / SessionContext) to trace it.
 */
export class SmsDelivery {
  constructor(
    private readonly store: SmsMessageStore,
    private readonly provider: SmsProvider,
    private readonly sealer: PayloadSealer,
    private readonly clock: Clock,
    private readonly onOutcome: DeliveryListener = () => undefined,
    private readonly maxAttempts = SMS_DELIVERY_ATTEMPTS,
  ) {}

  /** Resolves when sent or nothing is left to do; throws to ask for a retry, PermanentJobError when dead. */
  async deliver(job: SmsJob): Promise<DeliveryOutcome> {
    const message = await this.store.claim(job.messageId, this.clock.now());
    if (!message) {
      this.onOutcome('skipped', this.provider.name, job);
      return 'skipped';
    }
    if (!message.payload || (message.expiresAt && message.expiresAt <= this.clock.now())) {
      await this.store.markFailed(message.id, this.provider.name, message.payload ? '验证码已过期，未发送' : '短信内容缺失', true, this.clock.now());
      this.onOutcome('dead', this.provider.name, job);
      throw new PermanentJobError('验证码已过期，未发送');
    }
    const payload = this.sealer.open(message.id, message.payload);
    try {
      const { providerMessageId } = await this.provider.send({
        messageId: message.id,
        provinceId: message.provinceId,
        phone: message.phone,
        purpose: message.purpose,
        signName: message.signName,
        ...payload,
      });
      await this.store.markSent(message.id, this.provider.name, providerMessageId, this.clock.now());
      this.onOutcome('sent', this.provider.name, job);
      return 'sent';
    } catch (error) {
      const permanent = error instanceof SmsProviderError && !error.retryable;
      const final = permanent || message.attempts >= this.maxAttempts;
      const reason = error instanceof Error ? error.message : String(error);
      await this.store.markFailed(message.id, this.provider.name, reason, final, this.clock.now());
      this.onOutcome(final ? 'dead' : 'retry', this.provider.name, job);
      if (final) throw new PermanentJobError(reason);
      throw error;
    }
  }
}
