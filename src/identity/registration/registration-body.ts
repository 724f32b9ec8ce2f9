/**
 * Reads a registration body against the province's profile: every problem at once, each as a
 * Chinese message on its own field (`unit.uscc`, `operator.idNumber`, `smsCode`…), so the page can
 * put it next to the input. Pure: the caller passes today's date in China.
 */
import { chinaDate, checkIdNumber, checkIdValidity, isRealDate, LONG_TERM, normalizeIdNumber } from '#src/identity/checks/cn-id-number.js';
import { checkPassword } from '#src/identity/checks/password-policy.js';
import { isValidUscc } from '#src/identity/checks/uscc.js';
import { DEFAULT_TEXT_MAX_LENGTH, SMS_CODE_PATTERN, UNIT_ACCOUNT_PATTERN, VALIDITY_END_FIELD, type FormField } from '#src/identity/registration/registration-form.js';
import { isStorableText } from '#src/identity/request-body.js';
import { REQUIRED_OPERATOR_KEYS, REQUIRED_UNIT_KEYS } from '#src/profiles/profile-cross-checks.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import { CN_MOBILE } from '#src/verification/sms-code.service.js';

export interface RegistrationInput {
  /** Values by the profile's field ids; passwords untrimmed, codes upper-cased. */
  unit: Record<string, string> & Record<(typeof REQUIRED_UNIT_KEYS)[number], string>;
  operator: Record<string, string> & Record<(typeof REQUIRED_OPERATOR_KEYS)[number], string>;
  smsCode: string | undefined;
  captchaId: string | undefined;
  captcha: string | undefined;
}

export type ReadOutcome<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UNIT_ACCOUNT = new RegExp(UNIT_ACCOUNT_PATTERN);
const SMS_CODE = new RegExp(SMS_CODE_PATTERN);

export function readRegistration(profile: ProvinceProfile, body: unknown, today: Date): ReadOutcome<RegistrationInput> {
  const fields: Record<string, string> = {};
  const root = asRecord(body);
  if (!root) return { ok: false, fields: { unit: '请填写单位信息', operator: '请填写经办人信息' } };
  const registration = profile.registration;
  for (const key of Object.keys(root)) {
    if (!['unit', 'operator', 'smsCode', 'captchaId', 'captcha'].includes(key)) fields[key] = '不支持的字段';
  }
  const unit = readSection('unit', root.unit, registration.unitFields, fields);
  const unitFields = new Map(registration.unitFields.map((f) => [f.id, f]));
  checkFormats('unit', unit, unitFields, profile, today, fields, unit.unitAccount);
  if (unit.unitAccount && !fields['unit.unitAccount'] && !UNIT_ACCOUNT.test(unit.unitAccount)) {
    fields['unit.unitAccount'] = '单位账号须以字母开头，由 4-32 位字母、数字或下划线组成';
  }
  const operator = readOperatorInto(profile, root.operator, today, fields);

  const text = (key: string): string | undefined => (typeof root[key] === 'string' ? root[key].trim() : undefined);
  const smsCode = text('smsCode');
  if (registration.smsCode.enabled && !SMS_CODE.test(smsCode ?? '')) fields.smsCode = smsCode ? '短信验证码为 6 位数字' : '请填写短信验证码';
  const captchaId = text('captchaId');
  const captcha = text('captcha');
  if (registration.graphicCaptcha.enabled) {
    if (!captchaId) fields.captchaId = '请先获取图形验证码';
    if (!captcha) fields.captcha = '请填写图形验证码';
  }
  for (const key of REQUIRED_UNIT_KEYS) if (!unit[key] && !fields[`unit.${key}`]) fields[`unit.${key}`] = '本省注册表单缺少此字段，无法注册';

  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return { ok: true, value: { unit: unit as RegistrationInput['unit'], operator: operator as RegistrationInput['operator'], smsCode, captchaId, captcha } };
}

/**
 * The operator fields alone (registration's second step; XZ-8's 新增经办人 that registers and binds in
 * one go): the same checks, the problems keyed `operator.<field>`.
 */
export function readOperator(profile: ProvinceProfile, value: unknown, today: Date): ReadOutcome<RegistrationInput['operator']> {
  const fields: Record<string, string> = {};
  const operator = readOperatorInto(profile, value, today, fields);
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, value: operator as RegistrationInput['operator'] };
}

function readOperatorInto(profile: ProvinceProfile, value: unknown, today: Date, fields: Record<string, string>): Record<string, string> {
  const specs = profile.registration.operatorFields;
  const operator = readSection('operator', value, specs, fields);
  checkFormats('operator', operator, new Map(specs.map((f) => [f.id, f])), profile, today, fields, operator.mobile, operator.idType);
  const validity = operator.idValidFrom && operator.idValidTo && !fields['operator.idValidFrom'] && !fields['operator.idValidTo'] ? checkIdValidity(operator.idValidFrom, operator.idValidTo, chinaDate(today)) : undefined;
  if (validity) fields[`operator.${validity.field}`] = validity.message;
  for (const key of REQUIRED_OPERATOR_KEYS) if (!operator[key] && !fields[`operator.${key}`]) fields[`operator.${key}`] = '本省注册表单缺少此字段，无法注册';
  return operator;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Presence, type, length and choices; formats come after, once every value is known. */
function readSection(section: string, value: unknown, specs: readonly FormField[], fields: Record<string, string>): Record<string, string> {
  const record = asRecord(value);
  const out: Record<string, string> = {};
  if (value !== undefined && !record) fields[section] = '格式有误';
  const given = record ?? {};
  const known = new Set(specs.map((f) => f.id));
  for (const key of Object.keys(given)) if (!known.has(key)) fields[`${section}.${key}`] = '不支持的字段';
  for (const spec of specs) {
    const key = `${section}.${spec.id}`;
    const raw = given[spec.id];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      fields[key] = `${spec.label}格式有误`;
      continue;
    }
    // Passwords are taken as typed: a space may be part of one (and is then refused by the policy).
    const text = spec.format === 'password' ? (raw ?? '') : (raw ?? '').trim();
    if (text === '') {
      if (spec.required) fields[key] = `请填写${spec.label}`;
      continue;
    }
    // Refused here rather than failing the INSERT after the SMS code was spent.
    if (!isStorableText(text)) {
      fields[key] = `${spec.label}含有无法识别的字符`;
      continue;
    }
    const max = spec.maxLength ?? (spec.format === 'text' || spec.format === 'email' ? DEFAULT_TEXT_MAX_LENGTH : 64);
    if ([...text].length > max) {
      fields[key] = `${spec.label}不能超过 ${max} 个字符`;
      continue;
    }
    if (spec.options && !spec.options.some((o) => o.value === text)) {
      fields[key] = `请从列表中选择${spec.label}`;
      continue;
    }
    out[spec.id] = spec.format === 'uscc' ? text.toUpperCase() : spec.format === 'cn-id-number' ? normalizeIdNumber(text) : text;
  }
  return out;
}

function checkFormats(
  section: string,
  values: Record<string, string>,
  specs: ReadonlyMap<string, FormField>,
  profile: ProvinceProfile,
  today: Date,
  fields: Record<string, string>,
  accountName: string | undefined,
  idType?: string,
): void {
  for (const [id, value] of Object.entries(values)) {
    const spec = specs.get(id);
    const key = `${section}.${id}`;
    if (!spec || fields[key]) continue;
    const problem = formatProblem(spec, value, values, profile, today, accountName, idType);
    if (problem) {
      fields[key] = problem;
      delete values[id];
    }
  }
}

function formatProblem(spec: FormField, value: string, values: Record<string, string>, profile: ProvinceProfile, today: Date, accountName: string | undefined, idType: string | undefined): string | undefined {
  switch (spec.format) {
    case 'uscc':
      return isValidUscc(value) ? undefined : '统一社会信用代码不正确：应为 18 位，且校验位须符合 GB 32100-2015';
    case 'cn-id-number':
      return checkIdNumber(idType ?? 'resident-id', value, today);
    case 'cn-mobile':
      return CN_MOBILE.test(value) ? undefined : `${spec.label}应为 11 位中国大陆手机号`;
    case 'date':
      // Long-term ID cards (长期) have no end date.
      if (spec.id === VALIDITY_END_FIELD && value === LONG_TERM) return undefined;
      return isRealDate(value) ? undefined : `${spec.label}应为有效日期（年-月-日）`;
    case 'email':
      return EMAIL.test(value) ? undefined : `${spec.label}格式不正确`;
    case 'password': {
      const confirmed = confirmedField(spec.id);
      if (confirmed) return values[confirmed] !== undefined && values[confirmed] !== value ? '两次输入的密码不一致' : undefined;
      return checkPassword(profile.registration.passwordPolicy, value, accountName);
    }
    case 'text':
      return undefined;
  }
}

/** `confirmPassword` confirms `password`: the field it repeats, by name (undefined when it repeats none). */
export function confirmedField(id: string): string | undefined {
  const match = /^confirm([A-Z]\w*)$/.exec(id);
  return match?.[1] ? match[1].charAt(0).toLowerCase() + match[1].slice(1) : undefined;
}
