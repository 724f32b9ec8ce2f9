import { randomUUID } from 'node:crypto';
import type { Clock } from '#src/clock/clock.js';
import { popSignature, popTimestamp } from '#src/sms/providers/aliyun-signer.js';
import { postWithTimeout, providerTemplateId, readJson, SmsProviderError, type SmsProvider, type SmsToSend } from '#src/sms/providers/sms-provider.js';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** https://dysmsapi.aliyuncs.com/ in production; a local stand-in in tests. */
  endpoint: string;
  /** Template code (SMS_…) per purpose. */
  templateIds: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

interface AliyunAnswer {
  Code?: string;
  Message?: string;
  BizId?: string;
  RequestId?: string;
}

/**
 * Codes worth another try: Aliyun-side errors and API throttling. Everything else repeats on retry —
 * notably isv.BUSINESS_LIMIT_CONTROL, Aliyun's own per-number flow control (1/min, 5/h, 10/day by
 * default): retrying within the backoff's 31 s only burns attempts, the person may ask again later.
 */
function retryable(code: string, httpStatus: number): boolean {
  return httpStatus >= 500 || code.startsWith('isp.') || code.startsWith('Throttling') || code === 'ServiceUnavailable' || code === 'InternalError';
}

/** Dysmsapi SendSms (version 2017-05-25), RPC style, signed form POST. */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun' as const;

  constructor(
    private readonly options: AliyunSmsOptions,
    private readonly clock: Clock,
  ) {}

  async send(sms: SmsToSend): Promise<{ providerMessageId: string }> {
    const templateCode = providerTemplateId(this.options.templateIds, sms.purpose, '阿里云');
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      // Traces a duplicate (a worker that died after sending) back to our message in Aliyun's receipts.
      OutId: sms.messageId,
      PhoneNumbers: sms.phone,
      RegionId: 'cn-hangzhou',
      SignName: sms.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(sms.params),
      Timestamp: popTimestamp(this.clock.now()),
      Version: '2017-05-25',
    };
    params.Signature = popSignature('POST', params, this.options.accessKeySecret);
    const response = await postWithTimeout(
      this.options.endpoint,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() },
      this.options.timeoutMs ?? 5000,
    );
    const answer = (await readJson(response)) as AliyunAnswer;
    const code = answer.Code ?? `HTTP_${response.status}`;
    if (response.ok && code === 'OK' && answer.BizId) return { providerMessageId: answer.BizId };
    throw new SmsProviderError(`阿里云短信发送失败：${code} ${answer.Message ?? ''}`.trim(), code, retryable(code, response.status));
  }
}
