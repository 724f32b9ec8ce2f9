import fc from 'fast-check';
import { isValidUscc, USCC_ALPHABET, usccCheckCharacter } from '#src/identity/checks/uscc.js';

const alphabet = [...USCC_ALPHABET];
const body = fc.string({ unit: fc.constantFrom(...alphabet), minLength: 17, maxLength: 17 });

function withCheck(first17: string): string {
  const check = usccCheckCharacter(first17);
  if (check === undefined) throw new Error(`no check character for ${first17}`);
  return first17 + check;
}

const validCode = body.map(withCheck);

describe('USCC_ALPHABET', () => {
  it('is the 31 characters of GB 32100: digits and upper-case letters without I, O, Z, S, V', () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    expect(new Set(alphabet).size).toBe(31);
    const expected = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => !'IOZSV'.includes(c));
    expect(alphabet).toEqual(expected);
  });
});

describe('usccCheckCharacter', () => {
  it('uses the weights 3^i mod 31, which the proofs below rely on', () => {
    // With one character of value 1 and the rest 0, the sum is that position's weight w, so the check is (31 - w) mod 31.
    for (let i = 0; i < 17; i++) {
      const first17 = '0'.repeat(i) + '1' + '0'.repeat(16 - i);
      const check = USCC_ALPHABET.indexOf(usccCheckCharacter(first17) ?? '?');
      const weight = (31 - check) % 31;
      expect(weight).toBe(3 ** i % 31);
    }
  });

  it('computes the check of 17 zeros as 0', () => {
    expect(usccCheckCharacter('0'.repeat(17))).toBe('0');
  });

  it('gives undefined for a wrong length or a character outside the alphabet', () => {
    expect(usccCheckCharacter('')).toBeUndefined();
    expect(usccCheckCharacter('91350100M000100Y')).toBeUndefined();
    expect(usccCheckCharacter('91350100M000100Y43')).toBeUndefined();
    for (const letter of 'IOZSV') expect(usccCheckCharacter(`91350100${letter}000100Y4`)).toBeUndefined();
    expect(usccCheckCharacter('91350100m000100Y4')).toBeUndefined();
  });
});

describe('isValidUscc', () => {
  it('accepts printed codes (the GB 32100 example and a real licence)', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91110000600037341L')).toBe(true);
  });

  it('refuses lower case, as licences print upper case', () => {
    expect(isValidUscc('91350100m000100y43')).toBe(false);
    expect(isValidUscc('91110000600037341l')).toBe(false);
  });

  it('refuses a wrong length', () => {
    expect(isValidUscc('')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100Y433')).toBe(false);
    expect(isValidUscc(' 91350100M000100Y43')).toBe(false);
  });

  it('refuses the letters I, O, Z, S and V anywhere, even as check character', () => {
    for (const letter of 'IOZSV') {
      expect(isValidUscc(`91350100${letter}000100Y43`)).toBe(false);
      expect(isValidUscc(`91350100M000100Y4${letter}`)).toBe(false);
    }
  });

  it('refuses a wrong check character', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91110000600037341K')).toBe(false);
  });

  it('accepts every code made of 17 alphabet characters and their check character', () => {
    fc.assert(fc.property(validCode, (code) => isValidUscc(code)), { numRuns: 2000 });
  });

  /*
   * Why every single substitution is caught: a code is valid iff S = Σ w_i·v_i + v_18 ≡ 0 (mod 31),
   * with w_i = 3^(i-1) mod 31 (and weight 1 for the check character v_18). Replacing one character
   * changes S by w·(v' - v); w is a power of 3, so non-zero mod 31, and 0 < |v' - v| < 31. As 31 is
   * prime, the product is non-zero mod 31, so the new code is invalid.
   */
  it('refuses every one-character change of a valid code (any position, any other alphabet character)', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        for (let position = 0; position < 18; position++) {
          for (const replacement of alphabet) {
            if (replacement === code.charAt(position)) continue;
            const changed = code.slice(0, position) + replacement + code.slice(position + 1);
            if (isValidUscc(changed)) return false;
          }
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  /*
   * Swapping positions i and j changes S by (w_i - w_j)·(v_j - v_i), caught iff w_i ≢ w_j (mod 31).
   * Adjacent weights differ (w_{i+1} = 3·w_i, and 28 ≠ 1 for the last body character and the check),
   * so every adjacent transposition of different characters is caught. The 17 body weights 3^0..3^16
   * are distinct (3 has order 30 mod 31), but the check character's weight 1 equals the first
   * character's: swapping those two is never caught.
   */
  it('refuses every transposition of two adjacent different characters', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        for (let i = 0; i < 17; i++) {
          const [a, b] = [code.charAt(i), code.charAt(i + 1)];
          if (a === b) continue;
          if (isValidUscc(code.slice(0, i) + b + a + code.slice(i + 2))) return false;
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses every other transposition too, except swapping the first and the check character, which is never caught', () => {
    const swap = (code: string, i: number, j: number) => code.slice(0, i) + code.charAt(j) + code.slice(i + 1, j) + code.charAt(i) + code.slice(j + 1);
    fc.assert(
      fc.property(validCode, (code) => {
        for (let i = 0; i < 18; i++) {
          for (let j = i + 1; j < 18; j++) {
            if (code.charAt(i) === code.charAt(j)) continue;
            const caught = !isValidUscc(swap(code, i, j));
            if (caught !== !(i === 0 && j === 17)) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
    // A concrete case: the GB 32100 example with its first and last characters swapped still "passes".
    expect(isValidUscc('31350100M000100Y49')).toBe(true);
  });
});
