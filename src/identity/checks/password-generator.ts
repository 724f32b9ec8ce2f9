import { randomInt } from 'node:crypto';
import { checkPassword, type PasswordRules } from '#src/identity/checks/password-policy.js';

/** Long enough to be strong, short enough to type once from a printout. */
const PREFERRED_LENGTH = 16;

// No look-alikes (0/O, 1/l/I) and no quotes, backslash or space: the password is read off a
// terminal and typed in by a person, possibly pasted through a shell.
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SPECIAL = '!#$%*+-=?@^_~';

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] ?? alphabet[0] ?? '';
}

/**
 * A password from the CSPRNG that the province's policy accepts: at least one character of every
 * class (lower, upper, digit, special) whether the policy requires it or not, then random ones,
 * shuffled so the classes sit anywhere.
 */
export function generatePassword(policy: PasswordRules, accountName?: string): string {
  const length = Math.min(policy.maxLength, Math.max(policy.minLength, PREFERRED_LENGTH));
  const all = LOWER + UPPER + DIGITS + SPECIAL;
  for (;;) {
    const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SPECIAL)].slice(0, length);
    while (chars.length < length) chars.push(pick(all));
    for (let i = chars.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
    }
    const password = chars.join('');
    // A policy shorter than four characters cannot hold every class; the check decides.
    if (checkPassword(policy, password, accountName) === undefined) return password;
  }
}
