/**
 * Forgotten passwords (JL-7) and 单位用户查询 (JL-6): one tab per recovery method of the profile —
 * by the registration's unit details (every unit field but the passwords, exactly as registered) or
 * by credit code + an SMS code to the registered mobile — and the lookup of a unit account by its
 * credit code. Operators' passwords are reset by their unit (JL-7), as the page says.
 */
import { errorSummary, plainInput, schemaInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import { withNext, type CaptchaView } from '#src/identity/pages/page-support.js';
import { registrationFormSchema } from '#src/identity/registration/registration-form.js';
import { passwordPattern } from '#src/identity/checks/password-policy.js';
import type { Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export type RecoveryMethod = ProvinceProfile['recovery']['methods'][number];

export interface RecoveryPageState {
  csrfToken: string;
  method?: RecoveryMethod | undefined;
  captcha?: CaptchaView | undefined;
  values?: Readonly<Record<string, string>>;
  errors?: Readonly<Record<string, string>>;
  alert?: string | undefined;
  notice?: string | undefined;
}

export interface RecoveryPageView {
  action: string;
  api: string;
  csrfToken: string;
  tabs: Array<{ id: string; label: string; href: string; current: boolean }>;
  method?: { id: string; label: string; note?: string | undefined; byCreditCode: boolean } | undefined;
  before: InputView[];
  captcha?: (CaptchaView & { input: InputView }) | undefined;
  /** Credit-code resets send their code from the server (it knows the registered mobile, JL-7). */
  sendCode?: Record<string, never> | undefined;
  after: InputView[];
  summary: Array<{ text: string; href?: string | undefined }>;
  alert?: string | undefined;
  notice?: string | undefined;
  unitAccountOnly?: string | undefined;
  loginHref: string;
  sources: SourceRef[];
}

/** Unit fields a reset by unit details compares: what the unit typed at registration, never a password. */
const NOT_ASKED = new Set(['unitAccount', 'unitPassword']);

export function chosenRecoveryMethod(profile: ProvinceProfile, requested: string): RecoveryMethod | undefined {
  const methods = profile.recovery.methods;
  return methods.find((m) => m.id === requested) ?? methods[0];
}

export function recoveryPageView(profile: ProvinceProfile, base: string, state: RecoveryPageState, m: Messages): RecoveryPageView {
  const inputState: InputState = { values: state.values ?? {}, errors: state.errors ?? {} };
  const method = state.method;
  const byCreditCode = method?.id === 'credit-code';
  const schema = registrationFormSchema(profile);
  const policy = profile.registration.passwordPolicy;
  const newPassword = [
    plainInput({ name: 'newPassword', label: m['recover.newPassword'], type: 'password', required: true, minLength: policy.minLength, maxLength: policy.maxLength, pattern: passwordPattern(policy), hint: policy.hint, autocomplete: 'new-password' }, inputState),
    plainInput({ name: 'confirmPassword', label: m['recover.confirmPassword'], type: 'password', required: true, maxLength: policy.maxLength, autocomplete: 'new-password', confirms: 'f-newPassword' }, inputState),
  ];
  const usccSchema = schema.properties.unit.properties.uscc;
  let before: InputView[] = [];
  let after: InputView[] = [];
  if (method && byCreditCode) {
    before = [usccSchema ? schemaInput('uscc', usccSchema, true, inputState) : plainInput({ name: 'uscc', label: m['login.uscc'], type: 'text', required: true, maxLength: 18 }, inputState)];
    after = [
      plainInput({ name: 'smsCode', label: m['form.sms.label'], type: 'text', required: true, maxLength: 6, pattern: '^[0-9]{6}$', autocomplete: 'one-time-code', hint: m['recover.smsHint'] }, inputState),
      ...newPassword,
    ];
  } else if (method) {
    const unit = schema.properties.unit;
    before = [
      plainInput({ name: 'account', label: m['recover.account'], type: 'text', required: true, maxLength: 64, autocomplete: 'username', hint: m['recover.accountHint'] }, inputState),
      ...Object.entries(unit.properties)
        .filter(([key, field]) => !NOT_ASKED.has(key) && field.format !== 'password')
        .map(([key, field]) => schemaInput(`unit.${key}`, field, unit.required.includes(key), inputState)),
      ...newPassword,
    ];
  }
  const captcha = method && state.captcha ? { ...state.captcha, input: plainInput({ name: 'captcha', label: m['form.captcha.label'], type: 'text', required: !byCreditCode, maxLength: 8, autocomplete: 'off', hint: byCreditCode ? m['recover.captchaForSms'] : m['form.captcha.hint'] }, inputState) } : undefined;
  const { recovery } = profile;
  return {
    action: `${base}/recover`,
    api: `/api/v1/provinces/${profile.id}`,
    csrfToken: state.csrfToken,
    tabs: recovery.methods.map((r) => ({ id: r.id, label: r.label, href: `${base}/recover?method=${r.id}`, current: r.id === method?.id })),
    method: method && { id: method.id, label: method.label, note: method.note, byCreditCode },
    before,
    captcha,
    sendCode: byCreditCode ? {} : undefined,
    after,
    summary: errorSummary(inputState.errors, [...before, ...(captcha ? [captcha.input] : []), ...after]),
    alert: state.alert,
    notice: state.notice,
    unitAccountOnly: recovery.unitAccountOnly.enabled ? recovery.unitAccountOnly.note : undefined,
    loginHref: `${base}/login`,
    sources: sourceRefs(profile, recovery.source, ...recovery.methods.map((r) => r.source), recovery.unitAccountOnly.enabled ? recovery.unitAccountOnly.source : undefined),
  };
}

/** The recovery form's fields back into RecoveryService's body. */
export function recoveryBody(profile: ProvinceProfile, method: RecoveryMethod, read: (name: string) => string): Record<string, unknown> {
  const common = { method: method.id, newPassword: read('newPassword'), confirmPassword: read('confirmPassword') };
  if (method.id === 'credit-code') return { ...common, uscc: read('uscc'), smsCode: read('smsCode') };
  const unit = Object.fromEntries(
    profile.registration.unitFields.filter((f) => !NOT_ASKED.has(f.id) && f.format !== 'password').map((f) => [f.id, read(`unit.${f.id}`)]),
  );
  return { ...common, account: read('account'), unit, captchaId: read('captchaId'), captcha: read('captcha') };
}

/** What the re-rendered recovery form shows again: never a password, never a captcha answer. */
export function recoveryKept(profile: ProvinceProfile, read: (name: string) => string): Record<string, string> {
  const kept: Record<string, string> = { account: read('account'), uscc: read('uscc'), smsCode: read('smsCode') };
  for (const f of profile.registration.unitFields) if (f.format !== 'password') kept[`unit.${f.id}`] = read(`unit.${f.id}`);
  return kept;
}

export interface LookupPageView {
  action: string;
  api: string;
  csrfToken: string;
  inputs: InputView[];
  captcha?: (CaptchaView & { input: InputView }) | undefined;
  summary: Array<{ text: string; href?: string | undefined }>;
  alert?: string | undefined;
  notRegistered: boolean;
  result?: { accountName: string; unitName: string } | undefined;
  loginHref: string;
  registerHref?: string | undefined;
  registerLabel: string;
  note?: string | undefined;
  sources: SourceRef[];
}

export function lookupPageView(
  profile: ProvinceProfile,
  base: string,
  state: { csrfToken: string; captcha?: CaptchaView | undefined; values?: Readonly<Record<string, string>>; errors?: Readonly<Record<string, string>>; alert?: string | undefined; notRegistered?: boolean; result?: { accountName: string; unitName: string } | undefined },
  m: Messages,
): LookupPageView {
  const inputState: InputState = { values: state.values ?? {}, errors: state.errors ?? {} };
  const usccSchema = registrationFormSchema(profile).properties.unit.properties.uscc;
  const inputs = [usccSchema ? schemaInput('uscc', usccSchema, true, inputState) : plainInput({ name: 'uscc', label: m['login.uscc'], type: 'text', required: true, maxLength: 18 }, inputState)];
  const captcha = state.captcha && { ...state.captcha, input: plainInput({ name: 'captcha', label: m['form.captcha.label'], type: 'text', required: true, maxLength: 8, autocomplete: 'off', hint: m['form.captcha.hint'] }, inputState) };
  const rule = profile.unitAccount.lookupByCreditCode;
  return {
    action: `${base}/lookup`,
    api: `/api/v1/provinces/${profile.id}`,
    csrfToken: state.csrfToken,
    inputs,
    captcha,
    summary: errorSummary(inputState.errors, [...inputs, ...(captcha ? [captcha.input] : [])]),
    alert: state.alert,
    notRegistered: state.notRegistered ?? false,
    result: state.result,
    loginHref: withNext(`${base}/login`, undefined),
    registerHref: profile.registration.enabled ? `${base}/register` : undefined,
    registerLabel: profile.registration.entryLabel,
    note: rule.note,
    sources: sourceRefs(profile, rule.source),
  };
}
