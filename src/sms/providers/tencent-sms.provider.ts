import type { Clock } from '#src/clock/clock.js';
import { tc3Sign } from '#src/sms/providers/tencent-signer.js';
import { postWithTimeout, providerTemplateId, readJson, SmsProviderError, type SmsProvider, type SmsToSend } from '#src/sms/providers/sms-provider.js';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  region: string;
  /** https://sms.tencentcloudapi.com/ in production; a local stand-in in tests. */
  endpoint: string;
  /** Template id per purpose; the template's {1} is the code, {2} the minutes. */
  templateIds: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

interface TencentAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: Array<{ SerialNo?: string; Code?: string; Message?: string }>;
    RequestId?: string;
  };
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

/** Tencent-side trouble and API throttling: worth a retry. Number-level limits (LimitExceeded.PhoneNumber…) are not, see Aliyun. */
function retryable(code: string, httpStatus: number): boolean {
  return httpStatus >= 500 || code.startsWith('InternalError') || code === 'RequestLimitExceeded' || code === 'ResourceUnavailable' || code === 'FailedOperation.ServiceUnavailable';
}

/** SendSms, API version 2021-01-11, signed with TC3-HMAC-SHA256. */
export class TencentSmsProvider implements SmsProvider {
  readonly name = 'tencent' as const;

  constructor(
    private readonly options: TencentSmsOptions,
    private readonly clock: Clock,
  ) {}

  async send(sms: SmsToSend): Promise<{ providerMessageId: string }> {
    const templateId = providerTemplateId(this.options.templateIds, sms.purpose, '腾讯云');
    const payload = JSON.stringify({
      PhoneNumberSet: [`+86${sms.phone}`],
      SmsSdkAppId: this.options.sdkAppId,
      SignName: sms.signName,
      TemplateId: templateId,
      TemplateParamSet: [sms.params.code, sms.params.minutes],
      SessionContext: sms.messageId,
    });
    const host = new URL(this.options.endpoint).host;
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const { authorization } = tc3Sign({ secretId: this.options.secretId, secretKey: this.options.secretKey, service: 'sms', host, contentType: CONTENT_TYPE, payload, timestamp });
    const response = await postWithTimeout(
      this.options.endpoint,
      {
        method: 'POST',
        headers: {
          authorization,
          'content-type': CONTENT_TYPE,
          'x-tc-action': 'SendSms',
          'x-tc-version': '2021-01-11',
          'x-tc-region': this.options.region,
          'x-tc-timestamp': String(timestamp),
        },
        body: payload,
      },
      this.options.timeoutMs ?? 5000,
    );
    const answer = ((await readJson(response)) as TencentAnswer).Response;
    const error = answer?.Error;
    if (error || !response.ok) {
      const code = error?.Code ?? `HTTP_${response.status}`;
      throw new SmsProviderError(`腾讯云短信接口错误：${code} ${error?.Message ?? ''}`.trim(), code, retryable(code, response.status));
    }
    const status = answer?.SendStatusSet?.[0];
    if (status?.Code === 'Ok' && status.SerialNo) return { providerMessageId: status.SerialNo };
    const code = status?.Code ?? 'NO_STATUS';
    throw new SmsProviderError(`腾讯云短信发送失败：${code} ${status?.Message ?? ''}`.trim(), code, retryable(code, response.status));
  }
}
