import type { LoggerService } from '@nestjs/common';
import type { SmsJob } from '#src/sms/sms-queue.js';

/** One line per failed try; the phone number stays out of the log (the message id leads to it). */
export function logDeliveryFailure(logger: Pick<LoggerService, 'warn' | 'error'>, job: SmsJob, error: unknown, attempt: number, final: boolean): void {
  const reason = error instanceof Error ? error.message : String(error);
  const line = `短信 ${job.messageId}（${job.provinceId}）第 ${attempt} 次投递失败${final ? '，不再重试' : '，稍后重试'}：${reason}`;
  if (final) logger.error(line);
  else logger.warn(line);
}
