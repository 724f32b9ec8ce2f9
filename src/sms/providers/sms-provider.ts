import type { SmsProviderName } from '#src/config/app-config.js';
import type { SmsPayload } from '#src/sms/payload-sealer.js';

export interface SmsToSend extends SmsPayload {
  messageId: string;
  provinceId: string;
  /** Mainland mobile number, 11 digits. */
  phone: string;
  purpose: string;
  /** Without 【】: providers add the brackets themselves. */
  signName: string;
}

export interface SmsProvider {
  readonly name: SmsProviderName;
  /** Resolves with the provider's id for the message; rejects with SmsProviderError. */
  send(sms: SmsToSend): Promise<{ providerMessageId: string }>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

/**
 * A provider's refusal or a transport failure. `retryable` says whether trying again later can
 * help (timeouts, 5xx, provider-side errors), as opposed to a refusal that will repeat (bad number,
 * template, credentials, per-number flow control).
 */
export class SmsProviderError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SmsProviderError';
  }
}

/** The provider's own template for a purpose (SMS_TEMPLATE_IDS); a missing one is a final refusal. */
export function providerTemplateId(templateIds: Readonly<Record<string, string>>, purpose: string, provider: string): string {
  const id = templateIds[purpose];
  if (!id) throw new SmsProviderError(`未配置用途 ${purpose} 的${provider}短信模板（SMS_TEMPLATE_IDS）`, 'TEMPLATE_NOT_CONFIGURED', false);
  return id;
}

/** fetch with a deadline; network failures and timeouts become retryable provider errors. */
export async function postWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new SmsProviderError(`短信通道 ${timeoutMs} ms 内无响应`, 'TIMEOUT', true);
    throw new SmsProviderError(`无法连接短信通道：${(error as Error).message}`, 'NETWORK', true);
  }
}

/** A JSON body, or a retryable error naming the status when the answer is not JSON (a proxy's 502 page). */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SmsProviderError(`短信通道返回了无法解析的内容（HTTP ${response.status}）`, `HTTP_${response.status}`, response.status >= 500 || response.status === 429);
  }
}
