import fc from 'fast-check';
import {
  checkIdNumber,
  checkIdValidity,
  ID_DOCUMENT_TYPES,
  isIdDocumentType,
  isRealDate,
  LONG_TERM,
  normalizeIdNumber,
  residentIdCheckDigit,
} from '#src/identity/checks/cn-id-number.js';

/** 2025-06-15 in Beijing (12:00 there). */
const TODAY = new Date('2025-06-15T04:00:00Z');
const TODAY_TEXT = '2025-06-15';

function withCheck(first17: string): string {
  const check = residentIdCheckDigit(first17);
  if (check === undefined) throw new Error(`no check digit for ${first17}`);
  return first17 + check;
}

const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
/** YYYYMMDD between 1900-01-01 and TODAY. */
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY_TEXT}T00:00:00Z`), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const mainlandRegion = fc.tuple(fc.constantFrom(...'123456'), digits(5)).map(([first, rest]) => first + rest);
const validResidentId = fc.tuple(mainlandRegion, birthDate, digits(3)).map(([region, birth, sequence]) => withCheck(region + birth + sequence));
const permitRegion = fc.constantFrom('810000', '820000', '830000');
const validPermit = fc.tuple(permitRegion, birthDate, digits(3)).map(([region, birth, sequence]) => withCheck(region + birth + sequence));
const ID_CHARACTERS = [...'0123456789X'];

describe('residentIdCheckDigit', () => {
  it('gives GB 11643 published example 11010519491231002X its X', () => {
    expect(residentIdCheckDigit('11010519491231002')).toBe('X');
  });

  it('gives the check digit of 440524188001010014', () => {
    // 4·7+4·9+0·10+5·5+2·8+4·4+1·2+8·1+8·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 195; 195 mod 11 = 8 → "10X98765432"[8] = 4.
    expect(residentIdCheckDigit('44052418800101001')).toBe('4');
  });

  it('gives 1 for 17 zeros (sum 0)', () => {
    expect(residentIdCheckDigit('0'.repeat(17))).toBe('1');
  });

  it('gives undefined unless given exactly 17 digits', () => {
    for (const bad of ['', '1101051949123100', '110105194912310020', '1101051949123100X', '11010519491231 02', '１１０１０５１９４９１２３１００２']) {
      expect(residentIdCheckDigit(bad)).toBeUndefined();
    }
  });
});

describe('ID_DOCUMENT_TYPES', () => {
  it('lists resident ID, HK/Macao/Taiwan residence permit and passport', () => {
    expect(ID_DOCUMENT_TYPES).toEqual(['resident-id', 'hk-macao-taiwan-residence', 'passport']);
    expect(ID_DOCUMENT_TYPES.every(isIdDocumentType)).toBe(true);
    expect(isIdDocumentType('Resident-ID')).toBe(false);
  });
});

describe('checkIdNumber: unknown type or empty value', () => {
  it('XZ-4: says the document type is not supported', () => {
    for (const type of ['', 'driver-licence', 'RESIDENT-ID', 'constructor', 'toString']) {
      expect(checkIdNumber(type, '11010519491231002X', TODAY)).toBe('不支持该证件类型');
    }
  });

  it('XZ-4: asks for the number when it is empty', () => {
    for (const type of ID_DOCUMENT_TYPES) expect(checkIdNumber(type, '', TODAY)).toBe('请输入证件号码');
  });
});

describe('checkIdNumber: resident-id (居民身份证, GB 11643-1999)', () => {
  it('accepts the GB 11643 published example 11010519491231002X', () => {
    expect(checkIdNumber('resident-id', '11010519491231002X', TODAY)).toBeUndefined();
  });

  it('accepts a lower-case x and normalises it to X for storage', () => {
    expect(checkIdNumber('resident-id', '11010519491231002x', TODAY)).toBeUndefined();
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
  });

  it('refuses 440524188001010014: its check digit is right, but a birth year of 1880 is before 1900', () => {
    expect(residentIdCheckDigit('44052418800101001')).toBe('4');
    expect(checkIdNumber('resident-id', '440524188001010014', TODAY)).toBe('居民身份证号码中的出生日期不能早于1900年');
  });

  it('refuses a wrong check digit', () => {
    expect(checkIdNumber('resident-id', '110105194912310021', TODAY)).toBe('居民身份证号码校验位不正确，请核对');
    expect(checkIdNumber('resident-id', '440524199001010010', TODAY)).toBe('居民身份证号码校验位不正确，请核对');
  });

  it('refuses a wrong length', () => {
    expect(checkIdNumber('resident-id', '11010519491231002', TODAY)).toBe('居民身份证号码应为18位');
    expect(checkIdNumber('resident-id', '11010519491231002X0', TODAY)).toBe('居民身份证号码应为18位');
    // 15-digit first-generation numbers are no longer valid documents.
    expect(checkIdNumber('resident-id', '110105491231002', TODAY)).toBe('居民身份证号码应为18位');
  });

  it('refuses letters other than a final X, spaces and full-width digits', () => {
    for (const bad of ['1101051949123100XX', 'X10105194912310020', '11010519491231002Y', '1101051949 231002X', '１１０１０５１９４９１２３１００２Ｘ']) {
      expect(checkIdNumber('resident-id', bad, TODAY)).toBe('居民身份证号码应为17位数字加1位数字或字母X');
    }
  });

  it('refuses impossible birth dates, even with a right check digit', () => {
    for (const birth of ['19990230', '19991301', '19990001', '19990100', '19000229', '20230229', '19990431']) {
      expect(checkIdNumber('resident-id', withCheck(`110105${birth}123`), TODAY)).toBe('居民身份证号码中的出生日期不是有效日期');
    }
    // 2000 and 2024 are leap years (2000 is divisible by 400; 1900 is not).
    expect(checkIdNumber('resident-id', withCheck('11010520000229123'), TODAY)).toBeUndefined();
    expect(checkIdNumber('resident-id', withCheck('11010520240229123'), TODAY)).toBeUndefined();
  });

  it('refuses a birth date after today, counting today in Beijing time', () => {
    const bornToday = withCheck('11010520250615123');
    const bornTomorrow = withCheck('11010520250616123');
    expect(checkIdNumber('resident-id', bornToday, TODAY)).toBeUndefined();
    expect(checkIdNumber('resident-id', bornTomorrow, TODAY)).toBe('居民身份证号码中的出生日期不能晚于今天');
    // 2025-06-14T16:30Z is already 00:30 on the 15th in Beijing; 15:30Z is still 23:30 on the 14th.
    expect(checkIdNumber('resident-id', bornToday, new Date('2025-06-14T16:30:00Z'))).toBeUndefined();
    expect(checkIdNumber('resident-id', bornToday, new Date('2025-06-14T15:30:00Z'))).toBe('居民身份证号码中的出生日期不能晚于今天');
  });

  it('accepts 1900-01-01 and refuses 1899-12-31', () => {
    expect(checkIdNumber('resident-id', withCheck('11010519000101123'), TODAY)).toBeUndefined();
    expect(checkIdNumber('resident-id', withCheck('11010518991231123'), TODAY)).toBe('居民身份证号码中的出生日期不能早于1900年');
  });

  it('accepts every generated valid number', () => {
    fc.assert(fc.property(validResidentId, (id) => checkIdNumber('resident-id', id, TODAY) === undefined), { numRuns: 2000 });
  });

  /*
   * ISO 7064 MOD 11-2: a number is valid iff Σ w_i·a_i + a_18 ≡ 1 (mod 11), w_i = 2^(18-i) mod 11
   * and X = 10. Changing one character changes the sum by w·(a' - a), with w a power of 2 (non-zero
   * mod 11) and 0 < |a' - a| ≤ 10; 11 is prime, so the product is non-zero mod 11 and the change is caught.
   */
  it('refuses every one-character change of a valid number (any position, any other digit or X)', () => {
    fc.assert(
      fc.property(validResidentId, (id) => {
        for (let position = 0; position < 18; position++) {
          for (const replacement of ID_CHARACTERS) {
            if (replacement === id.charAt(position)) continue;
            if (checkIdNumber('resident-id', id.slice(0, position) + replacement + id.slice(position + 1), TODAY) === undefined) return false;
          }
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  // Adjacent weights differ (w_i = 2·w_{i+1}, and the check's weight is 1), so (w_i - w_{i+1})·(a_{i+1} - a_i) ≢ 0 (mod 11).
  it('refuses every transposition of two adjacent different characters', () => {
    fc.assert(
      fc.property(validResidentId, (id) => {
        for (let i = 0; i < 17; i++) {
          const [a, b] = [id.charAt(i), id.charAt(i + 1)];
          if (a === b) continue;
          if (checkIdNumber('resident-id', id.slice(0, i) + b + a + id.slice(i + 2), TODAY) === undefined) return false;
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a number with a right check digit exactly when its birth date is real and between 1900-01-01 and today', () => {
    fc.assert(
      fc.property(mainlandRegion, digits(8), digits(3), (region, birth, sequence) => {
        const date = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
        const expected = isRealDate(date) && date >= '1900-01-01' && date <= TODAY_TEXT;
        return (checkIdNumber('resident-id', withCheck(region + birth + sequence), TODAY) === undefined) === expected;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checkIdNumber: hk-macao-taiwan-residence (港澳台居民居住证)', () => {
  it('accepts the 18-character layout with region 81 (Hong Kong), 82 (Macao) or 83 (Taiwan)', () => {
    for (const region of ['810000', '820000', '830000']) {
      expect(checkIdNumber('hk-macao-taiwan-residence', withCheck(`${region}19900101123`), TODAY)).toBeUndefined();
    }
  });

  it('refuses a mainland region code', () => {
    expect(checkIdNumber('hk-macao-taiwan-residence', '11010519491231002X', TODAY)).toBe('港澳台居民居住证号码应以81（香港）、82（澳门）或83（台湾）开头');
    expect(checkIdNumber('hk-macao-taiwan-residence', withCheck('84000019900101123'), TODAY)).toBe('港澳台居民居住证号码应以81（香港）、82（澳门）或83（台湾）开头');
    expect(checkIdNumber('hk-macao-taiwan-residence', withCheck('71000019900101123'), TODAY)).toBe('港澳台居民居住证号码应以81（香港）、82（澳门）或83（台湾）开头');
  });

  it('applies the resident-ID rules with its own name in the messages', () => {
    const valid = withCheck('81000019900101123');
    const wrongCheck = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    expect(checkIdNumber('hk-macao-taiwan-residence', wrongCheck, TODAY)).toBe('港澳台居民居住证号码校验位不正确，请核对');
    expect(checkIdNumber('hk-macao-taiwan-residence', '8100001990010112', TODAY)).toBe('港澳台居民居住证号码应为18位');
    expect(checkIdNumber('hk-macao-taiwan-residence', withCheck('82000019990230123'), TODAY)).toBe('港澳台居民居住证号码中的出生日期不是有效日期');
  });

  it('accepts every generated valid permit and refuses every one-character change of it', () => {
    fc.assert(
      fc.property(validPermit, (id) => {
        if (checkIdNumber('hk-macao-taiwan-residence', id, TODAY) !== undefined) return false;
        for (let position = 0; position < 18; position++) {
          for (const replacement of ID_CHARACTERS) {
            if (replacement === id.charAt(position)) continue;
            if (checkIdNumber('hk-macao-taiwan-residence', id.slice(0, position) + replacement + id.slice(position + 1), TODAY) === undefined) return false;
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every valid mainland number', () => {
    fc.assert(fc.property(validResidentId, (id) => checkIdNumber('hk-macao-taiwan-residence', id, TODAY) !== undefined), { numRuns: 500 });
  });
});

describe('checkIdNumber: passport (by shape)', () => {
  it('accepts Chinese passport numbers and foreign ones of 5 to 17 letters and digits', () => {
    for (const ok of ['E12345678', 'EA1234567', 'G12345678', 'P1234567', '123456789', 'AB12C', 'X1234567890123456']) {
      expect(checkIdNumber('passport', ok, TODAY)).toBeUndefined();
    }
  });

  it('accepts lower-case letters (checked, and to be stored, upper-cased)', () => {
    expect(checkIdNumber('passport', 'ea1234567', TODAY)).toBeUndefined();
    expect(normalizeIdNumber('ea1234567')).toBe('EA1234567');
  });

  it('refuses fewer than 5 or more than 17 characters', () => {
    expect(checkIdNumber('passport', 'E123', TODAY)).toBe('护照号码应为5至17位字母或数字');
    expect(checkIdNumber('passport', 'E12345678901234567', TODAY)).toBe('护照号码应为5至17位字母或数字');
  });

  it('refuses spaces, punctuation, full-width and Chinese characters', () => {
    for (const bad of ['E 12345678', 'E-12345678', 'E12345678.', 'Ｅ12345678', '护照12345678', 'E12345678\n']) {
      expect(checkIdNumber('passport', bad, TODAY)).toBe('护照号码应为5至17位字母或数字');
    }
  });

  it('refuses letters only', () => {
    expect(checkIdNumber('passport', 'ABCDEFGH', TODAY)).toBe('护照号码应至少包含1位数字');
  });

  it('agrees with the shape rule on generated strings', () => {
    const unit = fc.constantFrom(...'AEGZaez0159 -.中');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 0, maxLength: 20 }), (text) => {
        const upper = text.toUpperCase();
        const expected = text !== '' && /^[A-Z0-9]{5,17}$/.test(upper) && /[0-9]/.test(upper);
        return (checkIdNumber('passport', text, TODAY) === undefined) === expected;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isRealDate', () => {
  it('accepts real YYYY-MM-DD dates, leap days included', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '1900-02-28', '2025-01-31', '2025-04-30', '2025-12-31', '1900-01-01']) expect(isRealDate(ok)).toBe(true);
  });

  it('refuses impossible dates', () => {
    for (const bad of ['2023-02-29', '1900-02-29', '2100-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-01-32']) expect(isRealDate(bad)).toBe(false);
  });

  it('refuses other shapes', () => {
    for (const bad of ['', '2025-1-01', '2025-01-1', '20250101', '2025/01/01', ' 2025-01-01', '2025-01-01T00:00:00Z', '２０２５-01-01', '+02025-01-01']) {
      expect(isRealDate(bad)).toBe(false);
    }
  });

  it('agrees with the Gregorian calendar of Date.UTC for years 1000-9999', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const d = new Date(Date.UTC(year, month - 1, day));
        const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
        return isRealDate(`${year}-${pad(month, 2)}-${pad(day, 2)}`) === real;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checkIdValidity (XZ-4: 证件有效起始日期, 证件有效截止日期)', () => {
  it('accepts a document in force today, including one expiring today and one valid from today', () => {
    expect(checkIdValidity('2020-03-01', '2030-03-01', TODAY_TEXT)).toBeUndefined();
    expect(checkIdValidity('2015-06-15', TODAY_TEXT, TODAY_TEXT)).toBeUndefined();
    expect(checkIdValidity(TODAY_TEXT, '2045-06-15', TODAY_TEXT)).toBeUndefined();
  });

  it('accepts 长期 as an end date that never expires', () => {
    expect(LONG_TERM).toBe('长期');
    expect(checkIdValidity('2001-01-01', '长期', TODAY_TEXT)).toBeUndefined();
  });

  it('requires both dates', () => {
    expect(checkIdValidity('', '2030-03-01', TODAY_TEXT)).toEqual({ field: 'idValidFrom', message: '请填写证件有效起始日期' });
    expect(checkIdValidity('2020-03-01', '', TODAY_TEXT)).toEqual({ field: 'idValidTo', message: '请填写证件有效截止日期' });
  });

  it('refuses a date that is not a real YYYY-MM-DD date, on that field', () => {
    for (const bad of ['2020-02-30', '2020/03/01', '20200301', '长期']) {
      expect(checkIdValidity(bad, '2030-03-01', TODAY_TEXT)).toEqual({ field: 'idValidFrom', message: '证件有效起始日期应为有效日期，格式为 YYYY-MM-DD' });
    }
    for (const bad of ['2030-02-30', '2030.03.01', '长 期', '永久']) {
      expect(checkIdValidity('2020-03-01', bad, TODAY_TEXT)).toEqual({ field: 'idValidTo', message: '证件有效截止日期应为有效日期（格式为 YYYY-MM-DD）或“长期”' });
    }
  });

  it('refuses a document valid only from a future date', () => {
    expect(checkIdValidity('2025-06-16', '2035-06-16', TODAY_TEXT)).toEqual({ field: 'idValidFrom', message: '证件有效起始日期不能晚于今天' });
    expect(checkIdValidity('2025-06-16', '长期', TODAY_TEXT)).toEqual({ field: 'idValidFrom', message: '证件有效起始日期不能晚于今天' });
  });

  it('refuses an end date not after the start date', () => {
    expect(checkIdValidity('2020-03-01', '2020-03-01', TODAY_TEXT)).toEqual({ field: 'idValidTo', message: '证件有效截止日期应晚于起始日期' });
    expect(checkIdValidity('2020-03-01', '2019-03-01', TODAY_TEXT)).toEqual({ field: 'idValidTo', message: '证件有效截止日期应晚于起始日期' });
  });

  it('says 证件已过期 when the end date has passed', () => {
    expect(checkIdValidity('2005-06-14', '2025-06-14', TODAY_TEXT)).toEqual({ field: 'idValidTo', message: '证件已过期' });
  });

  it('throws on a malformed today, which is a programming error rather than user input', () => {
    expect(() => checkIdValidity('2020-03-01', '2030-03-01', '2025-6-15')).toThrow(RangeError);
  });

  const isoDate = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

  it('decides any three real dates by the rules: from ≤ today, to > from, to ≥ today', () => {
    fc.assert(
      fc.property(isoDate, isoDate, isoDate, (from, to, today) => {
        const issue = checkIdValidity(from, to, today);
        if (from > today) return issue?.field === 'idValidFrom';
        if (to <= from) return issue?.message === '证件有效截止日期应晚于起始日期';
        if (to < today) return issue?.message === '证件已过期';
        return issue === undefined;
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts 长期 with any real start date up to today', () => {
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => {
        const [from, today] = a <= b ? [a, b] : [b, a];
        return checkIdValidity(from, LONG_TERM, today) === undefined;
      }),
      { numRuns: 1000 },
    );
  });
});
