import { randomUUID } from 'node:crypto';
import { ManualClock } from '#src/clock/clock.js';
import { PayloadSealer } from '#src/sms/payload-sealer.js';
import { OutboxSmsProvider } from '#src/sms/providers/outbox-sms.provider.js';
import { SmsProviderError, type SmsProvider, type SmsToSend } from '#src/sms/providers/sms-provider.js';
import { SmsDelivery, type DeliveryOutcome } from '#src/sms/sms-delivery.js';
import { SmsMessageStore } from '#src/sms/sms-message.store.js';
import { PermanentJobError } from '#src/sms/sms-queue.js';
import { openMigratedDatabase, type MigratedDatabase } from '#test/support/migrated-database.js';

let db: MigratedDatabase;
let store: SmsMessageStore;
const clock = new ManualClock(new Date('2025-03-01T08:00:00Z'));
const sealer = new PayloadSealer('a-server-secret-of-at-least-32-chars!');

beforeAll(async () => {
  db = await openMigratedDatabase();
  store = new SmsMessageStore(db.dataSource);
});

afterAll(async () => {
  await db.close();
});

/** A provider whose answers the test scripts; it records every call. */
class ScriptedProvider implements SmsProvider {
  readonly name = 'aliyun' as const;
  readonly calls: SmsToSend[] = [];
  constructor(private readonly answers: Array<Error | string>) {}
  send(sms: SmsToSend): Promise<{ providerMessageId: string }> {
    this.calls.push(sms);
    const answer = this.answers.shift() ?? 'ok';
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve({ providerMessageId: `${answer}-${this.calls.length}` });
  }
}

async function queuedMessage(ttlSeconds = 300): Promise<string> {
  const id = randomUUID();
  await store.insert({
    id,
    provinceId: 'hunan',
    phone: '13800138000',
    purpose: 'registration',
    signName: '湖南医保',
    payload: sealer.seal(id, { text: '【湖南医保】验证码 123456', params: { code: '123456', minutes: '5' } }),
    createdAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + ttlSeconds * 1000),
  });
  return id;
}

async function row(id: string) {
  const rows = await db.dataSource.query<Array<{ status: string; attempts: number; payload: Uint8Array | null; provider_message_id: string | null; last_error: string | null }>>(
    `SELECT status, attempts, payload, provider_message_id, last_error FROM sms_messages WHERE id = $1`,
    [id],
  );
  return rows[0];
}

function delivery(provider: SmsProvider, outcomes: DeliveryOutcome[] = []) {
  return new SmsDelivery(store, provider, sealer, clock, (outcome) => outcomes.push(outcome));
}

describe('SmsDelivery', () => {
  it('sends, records the provider id, wipes the sealed text; a second delivery does not call the provider (sent flag)', async () => {
    const id = await queuedMessage();
    const provider = new ScriptedProvider(['biz']);
    const outcomes: DeliveryOutcome[] = [];
    await expect(delivery(provider, outcomes).deliver({ messageId: id, provinceId: 'hunan' })).resolves.toBe('sent');
    await expect(delivery(provider, outcomes).deliver({ messageId: id, provinceId: 'hunan' })).resolves.toBe('skipped');
    expect(provider.calls).toHaveLength(1);
    expect(provider.calls[0]).toMatchObject({ messageId: id, phone: '13800138000', signName: '湖南医保', params: { code: '123456', minutes: '5' } });
    expect(await row(id)).toEqual({ status: 'sent', attempts: 1, payload: null, provider_message_id: 'biz-1', last_error: null });
    expect(outcomes).toEqual(['sent', 'skipped']);
  });

  it('leaves a retryable failure `failed` with the reason and rethrows it for the queue to retry', async () => {
    const id = await queuedMessage();
    const provider = new ScriptedProvider([new SmsProviderError('阿里云短信发送失败：isp.SYSTEM_ERROR', 'isp.SYSTEM_ERROR', true), 'biz']);
    await expect(delivery(provider).deliver({ messageId: id, provinceId: 'hunan' })).rejects.toThrow('isp.SYSTEM_ERROR');
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: '阿里云短信发送失败：isp.SYSTEM_ERROR' });
    expect((await row(id))?.payload).not.toBeNull();
    await expect(delivery(provider).deliver({ messageId: id, provinceId: 'hunan' })).resolves.toBe('sent');
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('kills the message at once on a final refusal (isv.BUSINESS_LIMIT_CONTROL)', async () => {
    const id = await queuedMessage();
    const provider = new ScriptedProvider([new SmsProviderError('阿里云短信发送失败：isv.BUSINESS_LIMIT_CONTROL', 'isv.BUSINESS_LIMIT_CONTROL', false)]);
    await expect(delivery(provider).deliver({ messageId: id, provinceId: 'hunan' })).rejects.toBeInstanceOf(PermanentJobError);
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 1, payload: null });
  });

  it('kills the message after the fifth failed attempt', async () => {
    const id = await queuedMessage();
    const provider = new ScriptedProvider(Array.from({ length: 5 }, () => new Error('socket hang up')));
    for (let attempt = 1; attempt <= 4; attempt++) {
      await expect(delivery(provider).deliver({ messageId: id, provinceId: 'hunan' })).rejects.not.toBeInstanceOf(PermanentJobError);
    }
    await expect(delivery(provider).deliver({ messageId: id, provinceId: 'hunan' })).rejects.toBeInstanceOf(PermanentJobError);
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 5, payload: null });
  });

  it('drops a message whose code expired while it waited, without calling the provider', async () => {
    const id = await queuedMessage(300);
    const provider = new ScriptedProvider([]);
    clock.advanceSeconds(301);
    await expect(delivery(provider).deliver({ messageId: id, provinceId: 'hunan' })).rejects.toBeInstanceOf(PermanentJobError);
    expect(provider.calls).toEqual([]);
    expect(await row(id)).toMatchObject({ status: 'dead', last_error: '验证码已过期，未发送' });
  });

  it('sends again a message left `sending` by a worker that died; the outbox stores it once', async () => {
    const id = await queuedMessage();
    const outbox = new OutboxSmsProvider(db.dataSource, clock);
    // The dead worker: claimed, and the provider got it, but it never marked it sent.
    const claimed = await store.claim(id, clock.now());
    await outbox.send({ ...sealer.open(id, claimed?.payload ?? new Uint8Array()), messageId: id, provinceId: 'hunan', phone: '13800138000', purpose: 'registration', signName: '湖南医保' });
    await expect(delivery(outbox).deliver({ messageId: id, provinceId: 'hunan' })).resolves.toBe('sent');
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    const stored = await outbox.list({ phone: '13800138000' });
    expect(stored.filter((m) => m.messageId === id)).toHaveLength(1);
  });

  it('counts messages by status for /health', async () => {
    const counts = await store.countByStatus(new Date('2025-01-01T00:00:00Z'));
    expect(counts).toEqual({ queued: 0, sending: 0, sent: 3, failed: 0, dead: 3 });
  });
});
