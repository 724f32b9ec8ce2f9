/**
 * The fields every account of the procurement subsystem's own login page is made with (AH-6's
 * sub-accounts, AH-7's special institutions, HN-10's distributors): its login name, its password
 * twice under the province's policy, and a contact. Each reader puts its Chinese message under the
 * field's name in `fields` and returns the trimmed value.
 */
import { checkPassword } from '#src/identity/checks/password-policy.js';
import { UNIT_ACCOUNT_PATTERN } from '#src/identity/registration/registration-form.js';
import { isStorableText, text } from '#src/identity/request-body.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import { CN_MOBILE } from '#src/verification/sms-code.service.js';

/** The same pattern as unit accounts (JL-3): letters first, so it is never a mobile number or a credit code. */
const LOGIN_NAME = new RegExp(UNIT_ACCOUNT_PATTERN);
export const LOGIN_NAME_MESSAGE = '登录账号须以字母开头，由 4-32 位字母、数字或下划线组成';

type Fields = Record<string, string>;

export function readLoginName(value: Record<string, unknown>, fields: Fields, name = 'loginName'): string {
  const loginName = text(value[name]).trim();
  if (!LOGIN_NAME.test(loginName)) fields[name] = LOGIN_NAME_MESSAGE;
  return loginName;
}

/** `password` under the policy (and not the login name), `confirmPassword` equal to it. */
export function readNewPassword(profile: ProvinceProfile, value: Record<string, unknown>, loginName: string, fields: Fields): string {
  const password = text(value.password);
  const problem = checkPassword(profile.registration.passwordPolicy, password, loginName);
  if (problem) fields.password = problem;
  if (text(value.confirmPassword) !== password) fields.confirmPassword = '两次输入的密码不一致';
  return password;
}

/** Free text a person typed: required, at most `max` characters, storable. */
export function readName(value: Record<string, unknown>, name: string, max: number, message: string, fields: Fields): string {
  const read = text(value[name]).trim();
  if (!read || read.length > max || !isStorableText(read)) fields[name] = message;
  return read;
}

export function readMobile(value: Record<string, unknown>, name: string, fields: Fields): string {
  const mobile = text(value[name]).trim();
  if (!CN_MOBILE.test(mobile)) fields[name] = '请输入 11 位手机号';
  return mobile;
}
