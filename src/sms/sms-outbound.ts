import { randomUUID } from 'node:crypto';
import type { Clock } from '#src/clock/clock.js';
import type { PayloadSealer, SmsPayload } from '#src/sms/payload-sealer.js';
import type { Queryable } from '#src/sms/queryable.js';
import type { SmsMessageStore } from '#src/sms/sms-message.store.js';
import type { SmsQueue } from '#src/sms/sms-queue.js';
import type { SmsTemplates } from '#src/sms/sms-templates.js';

export interface OutgoingCode {
  provinceId: string;
  phone: string;
  purpose: string;
  signName: string;
  code: string;
  /** When the code stops working: the text says how many minutes, the worker drops it after. */
  expiresAt: Date;
}

/** The sending side of the room: render, seal, record (inside the caller's transaction), then enqueue. */
export class SmsOutbound {
  constructor(
    private readonly store: SmsMessageStore,
    private readonly sealer: PayloadSealer,
    private readonly queue: SmsQueue,
    private readonly templates: SmsTemplates,
    private readonly clock: Clock,
  ) {}

  /** Inserts the message as `queued` within `tx`; call dispatch() once that transaction committed. */
  async record(tx: Queryable, sms: OutgoingCode): Promise<string> {
    const now = this.clock.now();
    const minutes = Math.max(1, Math.round((sms.expiresAt.getTime() - now.getTime()) / 60_000));
    const payload: SmsPayload = {
      text: this.templates.render(sms.provinceId, sms.purpose, { signName: sms.signName, code: sms.code, minutes }),
      params: { code: sms.code, minutes: String(minutes) },
    };
    const id = randomUUID();
    await this.store.insert(
      { id, provinceId: sms.provinceId, phone: sms.phone, purpose: sms.purpose, signName: sms.signName, payload: this.sealer.seal(id, payload), createdAt: now, expiresAt: sms.expiresAt },
      tx,
    );
    return id;
  }

  /** After commit, or the worker could look for a row it cannot see yet. A failed enqueue kills the message. */
  async dispatch(messageId: string, provinceId: string): Promise<void> {
    try {
      await this.queue.enqueue({ messageId, provinceId });
    } catch (error) {
      await this.store.markFailed(messageId, 'queue', `入队失败：${error instanceof Error ? error.message : String(error)}`, true, this.clock.now());
      throw error;
    }
  }
}
