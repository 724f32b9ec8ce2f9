/**
 * Operator identity documents (XZ-4: 证件类型, 证件号码, 证件有效起始日期, 证件有效截止日期): pure checks
 * that return the Chinese message for the field, or undefined when the value is fine.
 */

/** GB 11643-1999 weights: 2^(17-i) mod 11, so the check digit is ISO 7064 MOD 11-2. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARACTERS = '10X98765432';

/** The check digit (0-9 or X) for the first 17 digits, or undefined when they are not 17 digits. */
export function residentIdCheckDigit(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARACTERS.charAt(sum % 11);
}

export const ID_DOCUMENT_TYPES = ['resident-id', 'hk-macao-taiwan-residence', 'passport'] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];

export function isIdDocumentType(type: string): type is IdDocumentType {
  return (ID_DOCUMENT_TYPES as readonly string[]).includes(type);
}

/**
 * The form to store: upper case, because people type the final x of an ID number (and passport
 * letters) in lower case and checkIdNumber accepts that; storing the raw input would let
 * "…002x" and "…002X" count as two people.
 */
export function normalizeIdNumber(value: string): string {
  return value.toUpperCase();
}

/** Real Gregorian calendar date (no Date object: Date.UTC maps years 0-99 to 1900-1999 and rolls Feb 30 over). */
function isRealYmd(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** True for `YYYY-MM-DD` naming a real calendar day (2024-02-29 yes, 2023-02-29 and 2024-04-31 no). */
export function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match !== null && isRealYmd(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Today's date in China (UTC+8, no daylight saving) as YYYY-MM-DD: the server may run in UTC, and
 * between 00:00 and 08:00 Beijing time its local date is still yesterday.
 */
export function chinaDate(today: Date): string {
  return new Date(today.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The 18-character rule shared by 居民身份证 and 港澳台居民居住证 (GB 11643 layout); `name` goes into the messages. */
function checkEighteen(name: string, value: string, today: Date): string | undefined {
  if (value.length !== 18) return `${name}应为18位`;
  if (!/^\d{17}[\dX]$/.test(value)) return `${name}应为17位数字加1位数字或字母X`;
  // Positions 7-14 are the holder's birth date; a typo there often still passes the check digit's 1-in-11 chance.
  const birth = value.slice(6, 14);
  if (!isRealYmd(Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8)))) {
    return `${name}中的出生日期不是有效日期`;
  }
  if (birth < '19000101') return `${name}中的出生日期不能早于1900年`;
  // YYYYMMDD strings of equal length compare like the dates they name.
  if (birth > chinaDate(today).replaceAll('-', '')) return `${name}中的出生日期不能晚于今天`;
  if (residentIdCheckDigit(value.slice(0, 17)) !== value.charAt(17)) return `${name}校验位不正确，请核对`;
  return undefined;
}

/**
 * The message for an ID number of the given document type, or undefined when it is fine.
 * Lower-case letters are accepted (checked upper-cased): store `normalizeIdNumber(value)`.
 * `today` is injectable so that tests of the birth-date rule are deterministic.
 */
export function checkIdNumber(type: string, value: string, today: Date = new Date()): string | undefined {
  if (!isIdDocumentType(type)) return '不支持该证件类型';
  if (value === '') return '请输入证件号码';
  const id = normalizeIdNumber(value);
  switch (type) {
    case 'resident-id':
      return checkEighteen('居民身份证号码', id, today);
    case 'hk-macao-taiwan-residence': {
      const message = checkEighteen('港澳台居民居住证号码', id, today);
      if (message !== undefined) return message;
      // The permits reuse the ID layout with region codes 810000 香港, 820000 澳门, 830000 台湾.
      return /^8[123]/.test(id) ? undefined : '港澳台居民居住证号码应以81（香港）、82（澳门）或83（台湾）开头';
    }
    case 'passport':
      // Shape only: Chinese passports are a letter or two then digits (E12345678, EA1234567, G12345678); foreign ones vary.
      if (!/^[A-Z0-9]{5,17}$/.test(id)) return '护照号码应为5至17位字母或数字';
      if (!/\d/.test(id)) return '护照号码应至少包含1位数字';
      return undefined;
  }
}

export interface IdValidityIssue {
  field: 'idValidFrom' | 'idValidTo';
  message: string;
}

/** Long-term ID cards (居民身份证 for holders over 46) print 长期 instead of an end date. */
export const LONG_TERM = '长期';

/**
 * The first problem with a document's validity period, or undefined when it is in force today.
 * `from` and `today` are `YYYY-MM-DD`; `to` is `YYYY-MM-DD` or 长期 (never expires).
 * A document expiring today is still valid today.
 */
export function checkIdValidity(from: string, to: string, today: string): IdValidityIssue | undefined {
  // today comes from the server's clock, not the user: a bad one is a programming error.
  if (!isRealDate(today)) throw new RangeError(`today 应为 YYYY-MM-DD 格式的有效日期：${today}`);
  if (from === '') return { field: 'idValidFrom', message: '请填写证件有效起始日期' };
  if (!isRealDate(from)) return { field: 'idValidFrom', message: '证件有效起始日期应为有效日期，格式为 YYYY-MM-DD' };
  if (to === '') return { field: 'idValidTo', message: '请填写证件有效截止日期' };
  const longTerm = to === LONG_TERM;
  if (!longTerm && !isRealDate(to)) return { field: 'idValidTo', message: '证件有效截止日期应为有效日期（格式为 YYYY-MM-DD）或“长期”' };
  // YYYY-MM-DD strings compare like the dates they name.
  if (from > today) return { field: 'idValidFrom', message: '证件有效起始日期不能晚于今天' };
  if (longTerm) return undefined;
  if (to <= from) return { field: 'idValidTo', message: '证件有效截止日期应晚于起始日期' };
  if (to < today) return { field: 'idValidTo', message: '证件已过期' };
  return undefined;
}
