/**
 * The registration wizard (N-5, XZ-4, JL-2, HN-3, AH-2), rendered from registrationFormSchema — the
 * JSON Schema the API publishes — so the page and the API cannot disagree about a field: its label,
 * whether it is required, its format (password, date, mobile, choice) and its limits. Steps come
 * from `x-steps`; the captcha and the SMS code close the operator step.
 */
import type { AppException } from '#src/errors/app-exception.js';
import { LONG_TERM } from '#src/identity/checks/cn-id-number.js';
import { errorSummary, inputId, plainInput, schemaInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import type { CaptchaView } from '#src/identity/pages/page-support.js';
import { registrationFormSchema, type SectionSchema } from '#src/identity/registration/registration-form.js';
import type { RegistrationResult } from '#src/identity/registration/registration.service.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { linkView, type LinkView } from '#src/portal/views/external-link.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface AlertView {
  message: string;
  links: Array<LinkView & { external?: boolean | undefined }>;
}

/**
 * N-4, AH-5: where a unit whose credit code the national coding database does not know maintains its
 * data — the link the refusal carries (`codeMaintenance`), else the profile's. Undefined for other errors.
 */
export function codeMaintenanceLink(profile: ProvinceProfile, error: AppException, m: Messages): AlertView['links'][number] | undefined {
  const given = error.extra?.codeMaintenance as { title?: unknown; url?: unknown } | undefined;
  if (!given) return undefined;
  const url = typeof given.url === 'string' ? given.url : profile.urls.codeMaintenance.url;
  const title = typeof given.title === 'string' ? given.title : profile.urls.codeMaintenance.title;
  return { href: url, label: formatMessage(m['register.codeMaintenance'], { title }), external: true };
}

export interface RegistrationPageState {
  csrfToken: string;
  captcha?: CaptchaView | undefined;
  values?: Readonly<Record<string, string>>;
  errors?: Readonly<Record<string, string>>;
  alert?: AlertView | undefined;
  /** Said after an SMS code went out (the no-script path). */
  notice?: string | undefined;
}

export interface StepView {
  id: string;
  title: string;
  number: number;
  current: boolean;
}

export interface SectionView {
  id: string;
  title: string;
  number: number;
  fields: InputView[];
  first: boolean;
  last: boolean;
}

export interface RegistrationPageView {
  action: string;
  api: string;
  csrfToken: string;
  steps: StepView[];
  sections: SectionView[];
  captcha?: (CaptchaView & { input: InputView }) | undefined;
  smsCode?: InputView | undefined;
  /** The 发送验证码 button beside the SMS code: identity.js sends to this phone input's number. */
  sendCode?: { phoneInput: string; purpose: string } | undefined;
  alert?: AlertView | undefined;
  summary: Array<{ text: string; href?: string | undefined }>;
  notice?: string | undefined;
  login: { href: string; label: string };
  help: LinkView[];
  notes: string[];
  sources: SourceRef[];
}

/** The sections of the registration body, in the order of the profile's steps. */
const SECTION_IDS = ['unit', 'operator'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export function registrationPageView(profile: ProvinceProfile, base: string, state: RegistrationPageState, m: Messages): RegistrationPageView {
  const schema = registrationFormSchema(profile);
  const registration = profile.registration;
  const inputState: InputState = { values: state.values ?? {}, errors: state.errors ?? {} };
  const steps = schema['x-steps'];
  const stepNumber = (id: string, fallback: number) => {
    const index = steps.findIndex((s) => s.id === id);
    return index >= 0 ? index + 1 : fallback;
  };
  const ordered = [...SECTION_IDS].sort((a, b) => stepNumber(a, 99) - stepNumber(b, 99));
  const sections = ordered.map((id, index): SectionView => {
    const section: SectionSchema = schema.properties[id];
    return {
      id,
      title: section.title,
      number: stepNumber(id, index + 1),
      fields: Object.entries(section.properties).map(([key, field]) => schemaInput(`${id}.${key}`, field, section.required.includes(key), inputState)),
      first: index === 0,
      last: index === ordered.length - 1,
    };
  });

  // The SMS send needs a solved captcha even where the registration itself does not ask one.
  const needsCaptcha = registration.graphicCaptcha.enabled || registration.smsCode.enabled;
  const captcha =
    needsCaptcha && state.captcha
      ? {
          ...state.captcha,
          input: plainInput(
            {
              name: 'captcha',
              label: m['form.captcha.label'],
              type: 'text',
              required: registration.graphicCaptcha.enabled,
              maxLength: 8,
              autocomplete: 'off',
              hint: registration.graphicCaptcha.enabled ? (registration.graphicCaptcha.note ?? m['form.captcha.hint']) : m['register.captchaForSms'],
            },
            inputState,
          ),
        }
      : undefined;
  const smsSchema = schema.properties.smsCode;
  const smsCode = smsSchema ? { ...schemaInput('smsCode', smsSchema, true, inputState), autocomplete: 'one-time-code' } : undefined;

  const all = [...sections.flatMap((s) => s.fields), ...(captcha ? [captcha.input] : []), ...(smsCode ? [smsCode] : [])];
  const { urls } = profile;
  return {
    action: `${base}/register`,
    api: `/api/v1/provinces/${profile.id}`,
    csrfToken: state.csrfToken,
    steps: steps.map((s, index) => ({ id: s.id, title: s.title, number: index + 1, current: false })),
    sections,
    captcha,
    smsCode,
    sendCode: smsCode ? { phoneInput: inputId('operator.mobile'), purpose: 'registration' } : undefined,
    alert: state.alert,
    summary: errorSummary(inputState.errors, all),
    notice: state.notice,
    login: { href: `${base}/login`, label: profile.login.entryLabel },
    help: [urls.helpVideo, urls.helpGuide].filter((link) => link !== undefined).map((link) => linkView(link)),
    notes: [registration.onePerUnit.enabled ? registration.onePerUnit.note : undefined, registration.reuseExistingOperatorPassword.enabled ? registration.reuseExistingOperatorPassword.note : undefined, registration.requireNationalCode.enabled ? registration.requireNationalCode.note : undefined].filter(
      (note): note is string => Boolean(note),
    ),
    sources: sourceRefs(profile, registration.source, ...registration.steps.map((s) => s.source), registration.passwordPolicy.source, registration.graphicCaptcha.enabled ? registration.graphicCaptcha.source : undefined, registration.smsCode.source),
  };
}

export interface RegistrationDoneView {
  steps: StepView[];
  lead: string;
  unitName: string;
  uscc: string;
  accounts: Array<{ label: string; account: string }>;
  operatorExisted: boolean;
  login: { href: string; label: string };
  sources: SourceRef[];
}

/** The done step (HN-4: Hunan names the two accounts 管理员账号 / 经办员账号). */
export function registrationDoneView(profile: ProvinceProfile, base: string, result: RegistrationResult, m: Messages): RegistrationDoneView {
  const steps = registrationFormSchema(profile)['x-steps'];
  const done = steps.at(-1)?.id;
  return {
    steps: steps.map((s, index) => ({ id: s.id, title: s.title, number: index + 1, current: s.id === done })),
    lead: formatMessage(m['register.done.lead'], { unit: result.unit.name }),
    unitName: result.unit.name,
    uscc: result.unit.uscc,
    accounts: result.accountsCreated.map((a) => ({ label: a.label, account: a.account })),
    operatorExisted: result.operatorExisted,
    login: { href: `${base}/login`, label: profile.login.entryLabel },
    sources: sourceRefs(profile, ...profile.registration.accountsCreated.map((a) => a.source), profile.registration.steps.at(-1)?.source),
  };
}

/** The form's fields back into the body RegistrationService reads: `unit.x` → `{unit: {x}}`. */
export function registrationBody(profile: ProvinceProfile, read: (name: string) => string): Record<string, unknown> {
  const schema = registrationFormSchema(profile);
  // A ticked 长期 box stands for the date it replaces (see InputView.longTerm).
  const value = (name: string) => (read(`${name}.longTerm`) === LONG_TERM ? LONG_TERM : read(name));
  const section = (id: SectionId) => Object.fromEntries(Object.keys(schema.properties[id].properties).map((key) => [key, value(`${id}.${key}`)]));
  const body: Record<string, unknown> = { unit: section('unit'), operator: section('operator') };
  if (schema.properties.smsCode) body.smsCode = read('smsCode');
  if (schema.properties.captcha) Object.assign(body, { captchaId: read('captchaId'), captcha: read('captcha') });
  return body;
}

/** What a re-rendered form shows again: every field but the passwords (and never a captcha answer). */
export function keptValues(profile: ProvinceProfile, read: (name: string) => string): Record<string, string> {
  const schema = registrationFormSchema(profile);
  const kept: Record<string, string> = {};
  for (const id of SECTION_IDS) {
    for (const [key, field] of Object.entries(schema.properties[id].properties)) {
      if (field.format !== 'password') kept[`${id}.${key}`] = read(`${id}.${key}`);
      if (read(`${id}.${key}.longTerm`) === LONG_TERM) kept[`${id}.${key}.longTerm`] = LONG_TERM;
    }
  }
  if (schema.properties.smsCode) kept.smsCode = read('smsCode');
  return kept;
}
