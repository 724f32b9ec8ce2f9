import { CODE_LENGTH, CodeDigest, generateCode } from '#src/verification/code-digest.js';

const binding = { provinceId: 'hunan', phone: '13800138000', purpose: 'registration' };

describe('generateCode', () => {
  it('gives 6 digits, keeping leading zeros', () => {
    const codes = Array.from({ length: 2000 }, generateCode);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(CODE_LENGTH).toBe(6);
    // 2000 draws from 10^6: a leading zero shows up ~200 times; a repeat-heavy generator would show few distinct codes.
    expect(codes.filter((c) => c.startsWith('0')).length).toBeGreaterThan(100);
    expect(new Set(codes).size).toBeGreaterThan(1990);
  });

  it('uses every digit in every position', () => {
    const codes = Array.from({ length: 3000 }, generateCode);
    for (let position = 0; position < 6; position++) {
      expect(new Set(codes.map((c) => c[position])).size).toBe(10);
    }
  });
});

describe('CodeDigest', () => {
  const digest = new CodeDigest('a-server-secret-of-at-least-32-chars!');

  it('stores a 32-byte HMAC that matches only the same code, province, phone and purpose', () => {
    const stored = digest.digest(binding, '012345');
    expect(stored).toHaveLength(32);
    expect(stored.toString('latin1')).not.toContain('012345');
    expect(digest.matches(stored, binding, '012345')).toBe(true);
    expect(digest.matches(stored, binding, '012346')).toBe(false);
    expect(digest.matches(stored, { ...binding, phone: '13800138001' }, '012345')).toBe(false);
    expect(digest.matches(stored, { ...binding, purpose: 'password-reset' }, '012345')).toBe(false);
    expect(digest.matches(stored, { ...binding, provinceId: 'anhui' }, '012345')).toBe(false);
  });

  it('depends on the server secret', () => {
    const other = new CodeDigest('another-server-secret-of-32-chars!!');
    expect(other.matches(digest.digest(binding, '012345'), binding, '012345')).toBe(false);
  });
});
