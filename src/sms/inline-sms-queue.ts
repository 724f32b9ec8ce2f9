import { SMS_BACKOFF_BASE_MS, SMS_DELIVERY_ATTEMPTS, PermanentJobError, type SmsJob, type SmsJobHandler, type SmsQueue, type SmsQueueDepth } from '#src/sms/sms-queue.js';

export interface InlineQueueOptions {
  concurrency?: number;
  attempts?: number;
  backoffBaseMs?: number;
  /** Told about every failed try (logging); `final` when the job will not be tried again. */
  onFailure?: (job: SmsJob, error: unknown, attempt: number, final: boolean) => void;
}

/**
 * The embedded default when no Redis is configured: the same contract as the BullMQ adapter
 * (dedupe by message id, attempts, exponential backoff) in this process's memory. What it holds is
 * lost on exit; the messages stay unfinished in sms_messages and SmsRecovery enqueues them again at
 * the next boot.
 */
export class InlineSmsQueue implements SmsQueue {
  readonly kind = 'inline' as const;
  private readonly waiting: Array<{ job: SmsJob; attempt: number }> = [];
  private readonly known = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private active = 0;
  private failed = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly backoffBaseMs: number;

  constructor(
    private readonly handler: SmsJobHandler,
    private readonly options: InlineQueueOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.attempts = options.attempts ?? SMS_DELIVERY_ATTEMPTS;
    this.backoffBaseMs = options.backoffBaseMs ?? SMS_BACKOFF_BASE_MS;
  }

  enqueue(job: SmsJob): Promise<void> {
    if (this.closed) return Promise.reject(new Error('短信队列已关闭'));
    if (!this.known.has(job.messageId)) {
      this.known.add(job.messageId);
      this.waiting.push({ job, attempt: 1 });
      this.pump();
    }
    return Promise.resolve();
  }

  depth(): Promise<SmsQueueDepth> {
    return Promise.resolve({ waiting: this.waiting.length, active: this.active, delayed: this.timers.size, failed: this.failed });
  }

  /** Resolves once nothing is waiting, running or scheduled for a retry (tests, benches). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and waits for the running jobs; waiting and scheduled ones are dropped (recovered at next boot). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    await this.whenIdle();
  }

  private pump(): void {
    while (!this.closed && this.active < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift();
      if (next) void this.run(next.job, next.attempt);
    }
    this.notifyIdle();
  }

  private async run(job: SmsJob, attempt: number): Promise<void> {
    this.active += 1;
    try {
      await this.handler(job);
      this.known.delete(job.messageId);
    } catch (error) {
      const final = error instanceof PermanentJobError || attempt >= this.attempts || this.closed;
      this.options.onFailure?.(job, error, attempt, final);
      if (final) {
        this.failed += 1;
        this.known.delete(job.messageId);
      } else {
        const timer = setTimeout(() => {
          this.timers.delete(job.messageId);
          this.waiting.push({ job, attempt: attempt + 1 });
          this.pump();
        }, this.backoffBaseMs * 2 ** (attempt - 1));
        timer.unref();
        this.timers.set(job.messageId, timer);
      }
    } finally {
      this.active -= 1;
      this.pump();
    }
  }

  private isIdle(): boolean {
    return this.active === 0 && this.waiting.length === 0 && this.timers.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
