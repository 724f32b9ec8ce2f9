import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What the worker needs to send a message; it holds the code, so it is only ever stored sealed. */
export interface SmsPayload {
  /** The rendered text, sign name included (outbox provider). */
  text: string;
  /** Template variables for providers that render themselves (aliyun, tencent). */
  params: { code: string; minutes: string };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a key derived from SMS_CODE_SECRET; the message id is the associated data, so a
 * payload copied onto another row does not open.
 */
export class PayloadSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'province-engine', 'sms-payload-seal', 32));
  }

  seal(messageId: string, payload: SmsPayload): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(messageId));
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  open(messageId: string, sealed: Uint8Array): SmsPayload {
    const bytes = Buffer.from(sealed);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(messageId));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as SmsPayload;
  }
}
