/**
 * The queue port: the verification room enqueues a message id, an adapter (BullMQ on Redis, or an
 * in-process queue) hands it to SmsDelivery with retries. Job data carries ids only: the text,
 * which holds the code, stays sealed in sms_messages.
 */
export interface SmsJob {
  messageId: string;
  provinceId: string;
}

export interface SmsQueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export type SmsQueueKind = 'inline' | 'bullmq';

export interface SmsQueue {
  readonly kind: SmsQueueKind;
  /** Idempotent per message id (BullMQ: jobId = message id). */
  enqueue(job: SmsJob): Promise<void>;
  depth(): Promise<SmsQueueDepth>;
  close(): Promise<void>;
}

export const SMS_QUEUE = Symbol('SMS_QUEUE');
export const SMS_QUEUE_NAME = 'sms';

/** DESIGN.md: attempts 5, exponential backoff from 1 s (1, 2, 4, 8 s between the tries). */
export const SMS_DELIVERY_ATTEMPTS = 5;
export const SMS_BACKOFF_BASE_MS = 1000;

/** Thrown by a job handler when retrying cannot help (the message is dead): adapters stop retrying. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export type SmsJobHandler = (job: SmsJob) => Promise<unknown>;
