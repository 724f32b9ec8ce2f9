/**
 * A province's password policy (registration.passwordPolicy, e.g. XZ-4) as a check that names what is
 * wrong, and as a regular expression for the JSON Schema `pattern` and the HTML `pattern` attribute.
 */
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export type PasswordPolicy = ProvinceProfile['registration']['passwordPolicy'];
/** The fields the checks read: callers (and tests) need not supply the hint and source. */
export type PasswordRules = Pick<PasswordPolicy, 'minLength' | 'maxLength' | 'requireDigit' | 'requireLetter' | 'requireSpecial'>;

// Printable ASCII without the space (0x21-0x7E). Written with \x escapes so the same text is a valid
// class with no flag, with `u` (Ajv) and with `v` (browsers compile the HTML pattern attribute with v,
// where an unescaped [ { / or - inside a class is a syntax error).
const PRINTABLE = '\\x21-\\x7E';
const SPECIAL = '\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E';
const LETTER = 'A-Za-z';
const DIGIT = '0-9';

const PRINTABLE_ONLY = new RegExp(`^[${PRINTABLE}]*$`);
const HAS_DIGIT = new RegExp(`[${DIGIT}]`);
const HAS_LETTER = new RegExp(`[${LETTER}]`);
const HAS_SPECIAL = new RegExp(`[${SPECIAL}]`);

function assertLengths(policy: PasswordRules): void {
  // The profile cross-checks refuse such a policy; reaching here means a profile bypassed them.
  if (!Number.isInteger(policy.minLength) || !Number.isInteger(policy.maxLength) || policy.minLength < 1 || policy.minLength > policy.maxLength) {
    throw new RangeError(`密码规则的长度范围无效：${policy.minLength}-${policy.maxLength}`);
  }
}

interface CharacterClass {
  name: string;
  test: RegExp;
  /** The class body, for the pattern. */
  source: string;
}

function requiredClasses(policy: PasswordRules): CharacterClass[] {
  const classes: CharacterClass[] = [];
  if (policy.requireDigit) classes.push({ name: '数字', test: HAS_DIGIT, source: DIGIT });
  if (policy.requireLetter) classes.push({ name: '字母', test: HAS_LETTER, source: LETTER });
  if (policy.requireSpecial) classes.push({ name: '特殊字符', test: HAS_SPECIAL, source: SPECIAL });
  return classes;
}

function joinNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join('、')}和${names.at(-1) ?? ''}`;
}

/**
 * The message for a password the policy refuses, or undefined when it is acceptable. Checked in the
 * order a user fixes things: characters, length, character classes, then sameness with the account.
 */
export function checkPassword(policy: PasswordRules, password: string, accountName?: string): string | undefined {
  assertLengths(policy);
  if (password === '') return '请输入密码';
  // Outside printable ASCII: a space or full-width character is invisible in a masked field and often
  // cannot be typed on the login device; control characters come from pasting.
  if (!PRINTABLE_ONLY.test(password)) return '密码只能包含英文字母、数字和英文特殊字符，不能包含空格、中文或其他字符';
  if (password.length < policy.minLength || password.length > policy.maxLength) {
    return policy.minLength === policy.maxLength ? `密码长度应为${policy.minLength}位` : `密码长度应为${policy.minLength}-${policy.maxLength}位`;
  }
  const required = requiredClasses(policy);
  const missing = required.filter((c) => !c.test.test(password));
  if (missing.length > 0) {
    return `密码须包含${joinNames(required.map((c) => c.name))}，当前缺少${joinNames(missing.map((c) => c.name))}`;
  }
  // The account name is public (it is the login name), so a password equal to it guards nothing.
  if (accountName !== undefined && accountName !== '' && password.toLowerCase() === accountName.toLowerCase()) return '密码不能与账号相同';
  return undefined;
}

/**
 * An ECMAScript regular expression source that matches exactly the passwords checkPassword accepts
 * when no account name is given (sameness with the account depends on another field). Anchored, for
 * JSON Schema; the HTML attribute anchors it again, which is harmless. Valid with no flag, `u` and `v`.
 */
export function passwordPattern(policy: PasswordRules): string {
  assertLengths(policy);
  // One lookahead per required class; the body alone restricts characters and length.
  const lookaheads = requiredClasses(policy)
    .map((c) => `(?=[^${c.source}]*[${c.source}])`)
    .join('');
  return `^${lookaheads}[${PRINTABLE}]{${policy.minLength},${policy.maxLength}}$`;
}
