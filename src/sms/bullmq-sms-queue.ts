import { Queue, UnrecoverableError, Worker, type Job, type RedisOptions } from 'bullmq';
import {
  SMS_BACKOFF_BASE_MS,
  SMS_DELIVERY_ATTEMPTS,
  SMS_QUEUE_NAME,
  PermanentJobError,
  type SmsJob,
  type SmsJobHandler,
  type SmsQueue,
  type SmsQueueDepth,
} from '#src/sms/sms-queue.js';

/** Bounded history in Redis: enough to inspect in Bull Board, never unbounded growth. */
const KEEP_COMPLETED = { count: 10_000, age: 24 * 3600 };
const KEEP_FAILED = { count: 10_000, age: 7 * 24 * 3600 };
const ENQUEUE_TIMEOUT_MS = 5000;
const DEPTH_TIMEOUT_MS = 1500;

/** The producer side on Redis. The worker is separate (BullMqSmsWorker): a process may only enqueue. */
export class BullMqSmsQueue implements SmsQueue {
  readonly kind = 'bullmq' as const;
  readonly queue: Queue<SmsJob>;

  constructor(connection: RedisOptions, prefix: string) {
    this.queue = new Queue<SmsJob>(SMS_QUEUE_NAME, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: SMS_DELIVERY_ATTEMPTS,
        backoff: { type: 'exponential', delay: SMS_BACKOFF_BASE_MS },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      },
    });
    // Without a listener a lost connection would surface as an unhandled 'error' event.
    this.queue.on('error', () => undefined);
  }

  async enqueue(job: SmsJob): Promise<void> {
    // jobId = message id: enqueueing the same message twice (a retry, boot recovery) adds nothing.
    await withTimeout(this.queue.add('deliver', job, { jobId: job.messageId }), ENQUEUE_TIMEOUT_MS, 'Redis 入队超时');
  }

  async depth(): Promise<SmsQueueDepth> {
    const counts = await withTimeout(this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'), DEPTH_TIMEOUT_MS, 'Redis 无响应');
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface SmsWorkerOptions {
  concurrency?: number;
  /** How long a job's lock lives without renewal; a killed worker's jobs return to the queue after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onFailure?: (job: SmsJob, error: unknown, attempt: number, final: boolean) => void;
}

/** The consumer side: runs the handler for each job; PermanentJobError stops the retries. */
export class BullMqSmsWorker {
  readonly worker: Worker<SmsJob>;

  constructor(connection: RedisOptions, prefix: string, handler: SmsJobHandler, options: SmsWorkerOptions = {}) {
    this.worker = new Worker<SmsJob>(
      SMS_QUEUE_NAME,
      async (job: Job<SmsJob>) => {
        try {
          await handler(job.data);
        } catch (error) {
          const attempt = job.attemptsMade + 1;
          const final = error instanceof PermanentJobError || attempt >= (job.opts.attempts ?? 1);
          options.onFailure?.(job.data, error, attempt, final);
          if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
      {
        connection,
        prefix,
        concurrency: options.concurrency ?? 8,
        ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      },
    );
    this.worker.on('error', () => undefined);
  }

  /** Graceful: waits for the running jobs, takes no new ones. */
  async close(): Promise<void> {
    await this.worker.close();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
