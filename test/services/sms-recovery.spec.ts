/**
 * Messages never lost to a queue that forgot them: a message recorded while no worker ran, whose
 * job Redis then lost, is enqueued again when the app next boots, and delivered.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { redisOptionsFromUrl } from '#src/sms/redis-connection.js';
import { SMS_QUEUE_NAME } from '#src/sms/sms-queue.js';
import { createScratchDatabase } from '#test/services/scratch-database.js';
import { startTestApp, type TestApp } from '#test/support/test-app.js';

let scratch: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  scratch = await createScratchDatabase('pe_recovery');
});

afterAll(async () => {
  await scratch.drop();
});

it('re-enqueues an unfinished message at boot after Redis lost its job', async () => {
  const base = await startTestApp({ database: { kind: 'postgres', url: scratch.url } });
  const sms = { ...base.config.sms, queuePrefix: `pe-recovery-${randomBytes(4).toString('hex')}` };
  await base.close();

  const enqueueOnly: TestApp = await startTestApp({ database: { kind: 'postgres', url: scratch.url }, sms: { ...sms, worker: false } });
  const http = enqueueOnly.app.getHttpAdapter().getInstance().server;
  const { captchaId } = (await request(http).get('/api/v1/provinces/neimenggu/captcha').expect(200)).body as { captchaId: string };
  const { answer } = (await request(http).get(`/api/v1/dev/captchas/${captchaId}`).expect(200)).body as { answer: string };
  await request(http).post('/api/v1/provinces/neimenggu/sms-codes').send({ phone: '13600000001', purpose: 'add-operator', captchaId, captcha: answer }).expect(202);
  await enqueueOnly.close();

  const queue = new Queue(SMS_QUEUE_NAME, { connection: redisOptionsFromUrl(process.env.REDIS_URL ?? ''), prefix: sms.queuePrefix });
  await queue.obliterate({ force: true });
  await queue.close();

  const worker = await startTestApp({ database: { kind: 'postgres', url: scratch.url }, sms });
  try {
    const db = worker.app.get<DataSource>(getDataSourceToken());
    const until = Date.now() + 15_000;
    let status = '';
    while (Date.now() < until) {
      status = ((await db.query<Array<{ status: string }>>(`SELECT status FROM sms_messages WHERE phone = '13600000001'`))[0]?.status) ?? '';
      if (status === 'sent') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe('sent');
    const outbox = (await request(worker.app.getHttpAdapter().getInstance().server).get('/api/v1/dev/sms-outbox?phone=13600000001').expect(200)).body as Array<{ text: string }>;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.text).toMatch(/^【内蒙古医保】/);
  } finally {
    await worker.close();
  }
}, 60_000);
