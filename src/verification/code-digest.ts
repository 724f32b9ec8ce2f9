import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_LENGTH = 6;

/** 6 digits from the CSPRNG, leading zeros kept. */
export function generateCode(): string {
  return randomInt(0, 10 ** CODE_LENGTH).toString().padStart(CODE_LENGTH, '0');
}

export interface CodeBinding {
  provinceId: string;
  phone: string;
  purpose: string;
}

/**
 * HMAC-SHA256 of the code bound to its province, phone and purpose, with a key derived from
 * SMS_CODE_SECRET: a leaked table reveals no code (10^6 guesses need the key), and a digest moved
 * to another phone or purpose does not match.
 */
export class CodeDigest {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'province-engine', 'sms-code-digest', 32));
  }

  digest(binding: CodeBinding, code: string): Buffer {
    return createHmac('sha256', this.key).update(`${binding.provinceId}\n${binding.phone}\n${binding.purpose}\n${code}`).digest();
  }

  matches(stored: Uint8Array, binding: CodeBinding, code: string): boolean {
    const expected = Buffer.from(stored);
    const given = this.digest(binding, code);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
