import { checkPassword } from '#src/identity/checks/password-policy.js';
import { generatePassword } from '#src/identity/checks/password-generator.js';

describe('generatePassword', () => {
  const xizang = { minLength: 8, maxLength: 16, requireDigit: true, requireLetter: true, requireSpecial: true };

  it('satisfies the policy, every time', () => {
    for (let i = 0; i < 500; i += 1) expect(checkPassword(xizang, generatePassword(xizang, 'admin'), 'admin')).toBeUndefined();
  });

  it('takes 16 characters where the policy allows, else its bounds', () => {
    expect(generatePassword(xizang)).toHaveLength(16);
    expect(generatePassword({ ...xizang, minLength: 20, maxLength: 32 })).toHaveLength(20);
    expect(generatePassword({ ...xizang, minLength: 6, maxLength: 10 })).toHaveLength(10);
  });

  it('mixes lower, upper, digit and special characters and never repeats itself', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const password = generatePassword({ ...xizang, requireSpecial: false });
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[2-9]/);
      expect(password).toMatch(/[!#$%*+\-=?@^_~]/);
      expect(password).not.toMatch(/[0O1lI"'\\` ]/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });
});
