import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '#src/clock/clock.js';
import type { SmsStatus } from '#src/sms/sms-message.entity.js';
import type { SmsMessageStore } from '#src/sms/sms-message.store.js';
import type { DeliveryOutcome } from '#src/sms/sms-delivery.js';
import type { SmsQueue, SmsQueueDepth, SmsQueueKind } from '#src/sms/sms-queue.js';

export interface SmsQueueHealth {
  adapter: SmsQueueKind;
  status: 'up' | 'down';
  depth?: SmsQueueDepth;
  /** Messages created in the last 24 h, by status (all processes: read from sms_messages). */
  messages24h?: Record<SmsStatus, number>;
  error?: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Delivery attempts counted by this process's worker. */
export class SmsDeliveryCounter {
  private readonly counter: Counter<'provider' | 'outcome'>;

  constructor(registry: Registry) {
    this.counter = new Counter({
      name: 'sms_delivery_attempts_total',
      help: '短信投递尝试次数（本进程），按通道与结果：sent 已发出、retry 将重试、dead 放弃、skipped 已发过或已放弃',
      labelNames: ['provider', 'outcome'],
      registers: [registry],
    });
  }

  count(outcome: DeliveryOutcome, provider: string): void {
    this.counter.inc({ provider, outcome });
  }
}

/** Queue depth and delivery counts, for /health and as gauges collected at scrape time. */
export class SmsMonitor {
  constructor(
    private readonly queue: SmsQueue,
    private readonly store: SmsMessageStore,
    private readonly clock: Clock,
    registry: Registry,
  ) {
    new Gauge({
      name: 'sms_queue_jobs',
      help: '短信队列中的任务数，按状态',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const depth = await queue.depth().catch(() => undefined);
        if (!depth) return;
        for (const [state, count] of Object.entries(depth) as Array<[string, number]>) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'sms_messages_24h',
      help: '最近 24 小时创建的短信，按状态（queued、sending、sent、failed、dead）',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const counts = await store.countByStatus(new Date(clock.now().getTime() - DAY_MS)).catch(() => undefined);
        if (!counts) return;
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      },
    });
  }

  async health(): Promise<SmsQueueHealth> {
    const [depth, messages24h] = await Promise.allSettled([this.queue.depth(), this.store.countByStatus(new Date(this.clock.now().getTime() - DAY_MS))]);
    const report: SmsQueueHealth = { adapter: this.queue.kind, status: depth.status === 'fulfilled' ? 'up' : 'down' };
    if (depth.status === 'fulfilled') report.depth = depth.value;
    else report.error = depth.reason instanceof Error ? depth.reason.message : String(depth.reason);
    if (messages24h.status === 'fulfilled') report.messages24h = messages24h.value;
    return report;
  }
}
