import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: a reference read out over the phone must not be misheard or mistyped.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const RANDOM_LENGTH = 6;

const chinaDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `FK20251126-7K3QX9`: the day it was sent (China time) and 31^6 ≈ 8.9e8 random choices per day. */
export function newFeedbackReference(now: Date = new Date()): string {
  return newReference('FK', now);
}

/** A reference people read out and type: the prefix, the day (China time), six unambiguous random characters. */
export function newReference(prefix: string, now: Date): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}${chinaDate.format(now).replaceAll('-', '')}-${random}`;
}

export const FEEDBACK_REFERENCE_PATTERN = /^FK\d{8}-[2-9A-HJKMNP-Z]{6}$/;
