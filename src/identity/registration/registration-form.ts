/**
 * The registration body's JSON Schema, built from the province's profile: the API publishes it
 * (`GET …/registration-form`) and the portal's wizard renders its fields from it, so the two cannot
 * drift apart. Formats: uscc, cn-id-number, cn-mobile, date, password (and email).
 */
import { LONG_TERM } from '#src/identity/checks/cn-id-number.js';
import { passwordPattern } from '#src/identity/checks/password-policy.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export type FormField = ProvinceProfile['registration']['unitFields'][number];

export interface FieldSchema {
  type: 'string';
  title: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  oneOf?: Array<{ const: string; title: string }>;
  description?: string;
  'x-source'?: string[];
}

export interface SectionSchema {
  type: 'object';
  title: string;
  additionalProperties: false;
  required: string[];
  properties: Record<string, FieldSchema>;
}

export interface RegistrationFormSchema {
  $schema: string;
  $id: string;
  title: string;
  type: 'object';
  additionalProperties: false;
  required: string[];
  properties: {
    unit: SectionSchema;
    operator: SectionSchema;
    smsCode?: FieldSchema;
    captchaId?: FieldSchema;
    captcha?: FieldSchema;
  };
  'x-steps': Array<{ id: string; title: string }>;
}

/** Letters first, so a unit account can never be mistaken for a mobile number or a credit code. */
export const UNIT_ACCOUNT_PATTERN = '^[A-Za-z][A-Za-z0-9_]{3,31}$';
export const USCC_PATTERN = '^[0-9A-HJ-NP-RTUWXY]{18}$';
export const SMS_CODE_PATTERN = '^[0-9]{6}$';
export const MOBILE_PATTERN = '^1[3-9][0-9]{9}$';
const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
/** The ID's validity end, which long-term cards fill with 长期 instead of a date. */
export const VALIDITY_END_FIELD = 'idValidTo';
/** Free text without a maxLength in the profile still has one: nothing unbounded reaches the database. */
export const DEFAULT_TEXT_MAX_LENGTH = 200;


export function registrationFormSchema(profile: ProvinceProfile): RegistrationFormSchema {
  const registration = profile.registration;
  const stepTitle = (id: string, fallback: string) => registration.steps.find((s) => s.id === id)?.title ?? fallback;
  const required = ['unit', 'operator'];
  const properties: RegistrationFormSchema['properties'] = {
    unit: section(stepTitle('unit', '单位信息'), registration.unitFields, profile),
    operator: section(stepTitle('operator', '经办人信息'), registration.operatorFields, profile),
  };
  if (registration.smsCode.enabled) {
    properties.smsCode = { type: 'string', title: '短信验证码', pattern: SMS_CODE_PATTERN, description: registration.smsCode.note ?? '发送到经办人手机号的 6 位验证码' };
    required.push('smsCode');
  }
  if (registration.graphicCaptcha.enabled) {
    properties.captchaId = { type: 'string', title: '图形验证码编号', format: 'uuid' };
    properties.captcha = { type: 'string', title: '图形验证码', minLength: 1, maxLength: 8 };
    required.push('captchaId', 'captcha');
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `/api/v1/provinces/${profile.id}/registration-form`,
    title: `${profile.shortName}单位注册`,
    type: 'object',
    additionalProperties: false,
    required,
    properties,
    'x-steps': registration.steps.map((s) => ({ id: s.id, title: s.title })),
  };
}

function section(title: string, fields: readonly FormField[], profile: ProvinceProfile): SectionSchema {
  return {
    type: 'object',
    title,
    additionalProperties: false,
    required: fields.filter((f) => f.required).map((f) => f.id),
    properties: Object.fromEntries(fields.map((f) => [f.id, fieldSchema(f, profile)])),
  };
}

function fieldSchema(field: FormField, profile: ProvinceProfile): FieldSchema {
  const schema: FieldSchema = { type: 'string', title: field.label };
  if (field.source) schema['x-source'] = [...field.source];
  if (field.options) schema.oneOf = field.options.map((o) => ({ const: o.value, title: o.label }));
  switch (field.format) {
    case 'uscc':
      Object.assign(schema, { format: 'uscc', pattern: USCC_PATTERN, minLength: 18, maxLength: 18, description: '18 位统一社会信用代码（GB 32100-2015）' });
      break;
    case 'cn-id-number':
      Object.assign(schema, { format: 'cn-id-number', maxLength: 18, description: '居民身份证、港澳台居民居住证为 18 位（末位可为 X）；护照按护照号填写' });
      break;
    case 'cn-mobile':
      Object.assign(schema, { format: 'cn-mobile', pattern: MOBILE_PATTERN, description: '11 位中国大陆手机号' });
      break;
    case 'date':
      Object.assign(schema, { format: 'date', pattern: DATE_PATTERN });
      if (field.id === VALIDITY_END_FIELD) Object.assign(schema, { pattern: `${DATE_PATTERN}|^${LONG_TERM}$`, description: `长期有效的证件填“${LONG_TERM}”` });
      break;
    case 'password': {
      const policy = profile.registration.passwordPolicy;
      Object.assign(schema, { format: 'password', minLength: policy.minLength, maxLength: policy.maxLength, pattern: passwordPattern(policy), description: policy.hint });
      break;
    }
    case 'email':
      Object.assign(schema, { format: 'email', maxLength: field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH });
      break;
    case 'text':
      if (!field.options) schema.maxLength = field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
      break;
  }
  if (field.id === 'unitAccount') {
    Object.assign(schema, { pattern: UNIT_ACCOUNT_PATTERN, minLength: 4, maxLength: 32, description: '单位自行设置的登录账号：字母开头，4-32 位字母、数字或下划线' });
  }
  return schema;
}
