import fc from 'fast-check';
import { checkPassword, passwordPattern, type PasswordPolicy, type PasswordRules } from '#src/identity/checks/password-policy.js';

// The shipped profiles' values (provinces/xizang.yaml, provinces/_national.yaml); shipped-profiles.spec
// checks that the profiles still say so, this suite stays free of file I/O.
const TIBET: PasswordPolicy = {
  minLength: 8,
  maxLength: 16,
  requireDigit: true,
  requireLetter: true,
  requireSpecial: true,
  hint: '请输入8-16位密码，数字+大写或小写字母+特殊字符',
  source: ['XZ-4'],
};
const NATIONAL: PasswordRules = { minLength: 8, maxLength: 20, requireDigit: true, requireLetter: true, requireSpecial: false };

const TIBET_MISSING = (missing: string) => `密码须包含数字、字母和特殊字符，当前缺少${missing}`;
const NATIONAL_MISSING = (missing: string) => `密码须包含数字和字母，当前缺少${missing}`;
const NOT_PRINTABLE = '密码只能包含英文字母、数字和英文特殊字符，不能包含空格、中文或其他字符';

describe('checkPassword: Tibet (XZ-4)', () => {
  it('XZ-4: accepts 8-16 characters with a digit, an upper- or lower-case letter and a special character', () => {
    for (const ok of ['Abc123!@', 'abc123!@', 'ABC123!@', 'a1!a1!a1!a1!a1!a', '1~aaaaaa', '[{`/:@\\]9z']) expect(checkPassword(TIBET, ok)).toBeUndefined();
  });

  it('XZ-4: refuses fewer than 8 or more than 16 characters, saying the range', () => {
    expect(checkPassword(TIBET, 'Ab1!ab1')).toBe('密码长度应为8-16位');
    expect(checkPassword(TIBET, 'Ab1!Ab1!Ab1!Ab1!A')).toBe('密码长度应为8-16位');
  });

  it('XZ-4: says which required character class is missing', () => {
    expect(checkPassword(TIBET, 'abc12345')).toBe(TIBET_MISSING('特殊字符'));
    expect(checkPassword(TIBET, 'abcdefg!')).toBe(TIBET_MISSING('数字'));
    expect(checkPassword(TIBET, '1234567!')).toBe(TIBET_MISSING('字母'));
    expect(checkPassword(TIBET, 'abcdefgh')).toBe(TIBET_MISSING('数字和特殊字符'));
    expect(checkPassword(TIBET, '!@#$%^&*')).toBe(TIBET_MISSING('数字和字母'));
  });

  it('XZ-4: counts every printable ASCII non-alphanumeric character as special', () => {
    const specials = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
    expect(specials).toHaveLength(32);
    for (const special of specials) expect(checkPassword(TIBET, `Abc1234${special}`)).toBeUndefined();
  });

  it('XZ-4: refuses spaces, Chinese, full-width, control characters and emoji', () => {
    for (const bad of ['Abc 123!@', 'Abc123!@中', 'Abc123！@', 'Ａbc123!@', 'Abc123!@\t', 'Abc123!@\n', 'Abc123!@\u007f', 'Abc123!@\u0000', 'Abc123!😀', 'Abc123!@\u00e9']) {
      expect(checkPassword(TIBET, bad)).toBe(NOT_PRINTABLE);
    }
  });

  it('asks for a password when it is empty', () => {
    expect(checkPassword(TIBET, '')).toBe('请输入密码');
  });
});

describe('checkPassword: national default', () => {
  it('accepts 8-20 characters with a digit and a letter, special characters allowed but not required', () => {
    for (const ok of ['abc12345', 'ABCDEFG1', 'abc123!@', 'a1234567890123456789']) expect(checkPassword(NATIONAL, ok)).toBeUndefined();
  });

  it('refuses a length outside 8-20', () => {
    expect(checkPassword(NATIONAL, 'abc1234')).toBe('密码长度应为8-20位');
    expect(checkPassword(NATIONAL, 'a12345678901234567890')).toBe('密码长度应为8-20位');
  });

  it('says which of digit and letter is missing', () => {
    expect(checkPassword(NATIONAL, 'abcdefgh')).toBe(NATIONAL_MISSING('数字'));
    expect(checkPassword(NATIONAL, '12345678')).toBe(NATIONAL_MISSING('字母'));
    expect(checkPassword(NATIONAL, '!!!!!!!!')).toBe(NATIONAL_MISSING('数字和字母'));
  });
});

describe('checkPassword: other policies', () => {
  it('says a single length when minimum and maximum agree', () => {
    expect(checkPassword({ ...NATIONAL, minLength: 8, maxLength: 8 }, 'abc123')).toBe('密码长度应为8位');
  });

  it('requires nothing but length and characters when no class is required', () => {
    const none: PasswordRules = { minLength: 6, maxLength: 12, requireDigit: false, requireLetter: false, requireSpecial: false };
    expect(checkPassword(none, '______')).toBeUndefined();
    expect(checkPassword(none, 'abc de')).toBe(NOT_PRINTABLE);
  });

  it('names a single required class', () => {
    expect(checkPassword({ ...NATIONAL, requireLetter: false }, 'abcdefgh')).toBe('密码须包含数字，当前缺少数字');
  });

  it('throws on a policy whose lengths the profile cross-checks would refuse', () => {
    expect(() => checkPassword({ ...NATIONAL, minLength: 21 }, 'abc12345')).toThrow(RangeError);
    expect(() => passwordPattern({ ...NATIONAL, minLength: 21 })).toThrow(RangeError);
    expect(() => passwordPattern({ ...NATIONAL, minLength: 0 })).toThrow(RangeError);
  });
});

describe('checkPassword: account name', () => {
  it('refuses a password equal to the account name, ignoring case', () => {
    expect(checkPassword(NATIONAL, 'Zhang3456', 'zhang3456')).toBe('密码不能与账号相同');
    expect(checkPassword(TIBET, 'unit_001!', 'UNIT_001!')).toBe('密码不能与账号相同');
  });

  it('accepts a password merely containing the account name, or with no or an empty account name', () => {
    expect(checkPassword(NATIONAL, 'zhang34567', 'zhang3456')).toBeUndefined();
    expect(checkPassword(NATIONAL, 'zhang3456')).toBeUndefined();
    expect(checkPassword(NATIONAL, 'zhang3456', '')).toBeUndefined();
  });

  it('reports a policy failure before sameness with the account name', () => {
    expect(checkPassword(TIBET, 'zhang3456', 'zhang3456')).toBe(TIBET_MISSING('特殊字符'));
  });
});

describe('passwordPattern', () => {
  it('XZ-4: gives an anchored pattern with one lookahead per required class', () => {
    expect(passwordPattern(TIBET)).toBe('^(?=[^0-9]*[0-9])(?=[^A-Za-z]*[A-Za-z])(?=[^\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E]*[\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E])[\\x21-\\x7E]{8,16}$');
    expect(passwordPattern(NATIONAL)).toBe('^(?=[^0-9]*[0-9])(?=[^A-Za-z]*[A-Za-z])[\\x21-\\x7E]{8,20}$');
  });

  it('compiles with no flag, with u (Ajv, JSON Schema) and with v (the HTML pattern attribute)', () => {
    for (const flags of ['', 'u', 'v']) {
      const html = new RegExp(`^(?:${passwordPattern(TIBET)})$`, flags);
      expect(html.test('Abc123!@')).toBe(true);
      expect(html.test('Abc123@')).toBe(false);
    }
  });

  const policies = fc
    .record({
      minLength: fc.integer({ min: 6, max: 20 }),
      extra: fc.integer({ min: 0, max: 10 }),
      requireDigit: fc.boolean(),
      requireLetter: fc.boolean(),
      requireSpecial: fc.boolean(),
    })
    .map(({ extra, ...p }): PasswordRules => ({ ...p, maxLength: p.minLength + extra }));
  const good = [...'aZq0795!~[]{}/\\`-_@:^|'];
  const bad = [' ', '中', 'Ａ', '！', '\t', '\n', '\r', '\u007f', '\u0000', '😀', '\u00e9', '\u2028'];
  // Mostly printable ASCII of about the right length so that both answers come up often; some strings with a character to refuse.
  const passwordsFor = (policy: PasswordRules) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...good), minLength: Math.max(0, policy.minLength - 2), maxLength: policy.maxLength + 2 }) },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...good, ...bad), minLength: 0, maxLength: 32 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    );
  const passwords = passwordsFor({ minLength: 8, maxLength: 16, requireDigit: true, requireLetter: true, requireSpecial: true });

  it('agrees with checkPassword (no account name) on generated policies and passwords, with every flag', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(policies.chain((policy) => fc.tuple(fc.constant(policy), passwordsFor(policy))), ([policy, password]) => {
        const ok = checkPassword(policy, password) === undefined;
        if (ok) accepted++;
        else refused++;
        const source = passwordPattern(policy);
        return ['', 'u', 'v'].every((flags) => new RegExp(source, flags).test(password) === ok);
      }),
      { numRuns: 2000 },
    );
    // Guard against a generator that only ever produces one answer, which would make the agreement vacuous.
    expect(accepted).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  it('XZ-4: agrees with checkPassword for Tibet on generated passwords', () => {
    fc.assert(
      fc.property(passwords, (password) => new RegExp(passwordPattern(TIBET), 'v').test(password) === (checkPassword(TIBET, password) === undefined)),
      { numRuns: 1000 },
    );
  });
});
