/**
 * 单位管理 → 单位经办人 as a page (JL-9): the unit's operators by mobile with 重置密码 (JL-7),
 * 解除绑定 (HN-5) and 招采授权 (JL-9) per row, and 新增经办人 by the province's flow — a registered
 * operator by ID number (XZ-8) or by mobile (NM-2), or a new one registered inline (XZ-8) — with the
 * graphic captcha and the SMS code to the operator's phone. Inputs come from the registration form's
 * schema, so the labels and limits are the ones the registration wizard and the API use.
 */
import type { UnitOperatorView } from '#src/hall/operators.service.js';
import { LONG_TERM } from '#src/identity/checks/cn-id-number.js';
import { passwordPattern } from '#src/identity/checks/password-policy.js';
import { errorSummary, plainInput, schemaInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import type { CaptchaView } from '#src/identity/pages/page-support.js';
import { registrationFormSchema, SMS_CODE_PATTERN } from '#src/identity/registration/registration-form.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

/** 新增经办人: a registered operator (by the province's check), or a new one registered inline (XZ-8). */
export type AddMode = 'existing' | 'new';

export type DoneKind = 'added' | 'registered' | 'password-reset' | 'unbound' | 'authorised' | 'withdrawn';
const DONE_KINDS: readonly DoneKind[] = ['added', 'registered', 'password-reset', 'unbound', 'authorised', 'withdrawn'];

type Alert = { message: string; registerNew?: boolean | undefined };

export interface OperatorsPageState {
  csrfToken: string;
  unitName: string;
  operators: readonly UnitOperatorView[];
  captcha: CaptchaView;
  mode: AddMode;
  /** The add form as it was sent (never a password), its errors, its alert and the "code sent" notice. */
  values?: Readonly<Record<string, string>> | undefined;
  errors?: Readonly<Record<string, string>> | undefined;
  addAlert?: Alert | undefined;
  addNotice?: string | undefined;
  /** The row whose 重置密码 or 解除绑定 panel is open, with that panel's errors. */
  reset?: { operator: UnitOperatorView; errors?: Readonly<Record<string, string>> | undefined; alert?: string | undefined } | undefined;
  unbind?: { operator: UnitOperatorView; alert?: string | undefined } | undefined;
  /** What a row action answered: a refusal (another unit's operator…) or, after the redirect, what was done. */
  alert?: string | undefined;
  done?: { kind: DoneKind; operator?: UnitOperatorView | undefined } | undefined;
}

interface RowView {
  id: string;
  name: string;
  mobile: string;
  boundAt: string;
  resetHref?: string | undefined;
  unbindHref?: string | undefined;
  authorisation?: { status: string; authorised: boolean; action: string; value: string; label: string } | undefined;
}

export interface OperatorsPageView {
  lead: string;
  hallHref: string;
  csrfToken: string;
  notice?: string | undefined;
  alert?: string | undefined;
  rows: RowView[];
  showAuthorisation: boolean;
  notes: string[];
  reset?: { action: string; who: string; inputs: InputView[]; summary: ReturnType<typeof errorSummary>; alert?: string | undefined; note?: string | undefined; cancelHref: string } | undefined;
  unbind?: { action: string; question: string; notes: string[]; alert?: string | undefined; cancelHref: string } | undefined;
  add: {
    action: string;
    api: string;
    mode: AddMode;
    tabs?: Array<{ id: AddMode; label: string; href: string; current: boolean }> | undefined;
    lead: string;
    note?: string | undefined;
    inputs: InputView[];
    captcha: CaptchaView & { input: InputView };
    sendCode: Record<string, never>;
    smsCode: InputView;
    summary: ReturnType<typeof errorSummary>;
    alert?: Alert | undefined;
    notice?: string | undefined;
  };
  sources: SourceRef[];
}

export function operatorsPath(base: string): string {
  return `${base}/hall/operators`;
}

export function addModeOf(profile: ProvinceProfile, requested: string): AddMode {
  return requested === 'new' && profile.operators.registerInline.enabled ? 'new' : 'existing';
}

export function doneKindOf(value: string): DoneKind | undefined {
  return DONE_KINDS.find((kind) => kind === value);
}

/** XZ-8 identifies a registered operator by ID type + number; elsewhere (NM-2) by mobile. */
export function checksIdNumber(profile: ProvinceProfile): boolean {
  return profile.operators.existingOperatorChecks.includes('id-number');
}

/** The input that names a registered operator in the add form: where their errors go. */
export function identifyingInput(profile: ProvinceProfile, mode: AddMode): string {
  if (mode === 'new') return 'operator.mobile';
  return checksIdNumber(profile) ? 'idNumber' : 'mobile';
}

/** 2025-01-31 09:30, in Beijing time (the server may run in UTC). */
export function beijingMinute(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function who(operator: UnitOperatorView, m: Messages): string {
  return formatMessage(m['hallOperators.who'], { name: operator.name, mobile: operator.mobile });
}

export function operatorsPageView(profile: ProvinceProfile, base: string, state: OperatorsPageState, m: Messages): OperatorsPageView {
  const { operators } = profile;
  const path = operatorsPath(base);
  const authorisation = operators.procurementAuthorisation.enabled;
  const rows = state.operators.map((o): RowView => ({
    id: o.operatorId,
    name: o.name,
    mobile: o.mobile,
    boundAt: beijingMinute(o.boundAt),
    resetHref: operators.passwordResetByUnitAccount.enabled ? `${path}?reset=${o.operatorId}#reset` : undefined,
    unbindHref: operators.unbind.enabled ? `${path}?unbind=${o.operatorId}#unbind` : undefined,
    authorisation: authorisation
      ? {
          authorised: o.procurementAuthorisedAt !== undefined,
          status: o.procurementAuthorisedAt ? formatMessage(m['hallOperators.authorisation.since'], { at: beijingMinute(o.procurementAuthorisedAt) }) : m['hallOperators.authorisation.none'],
          action: `${path}/${o.operatorId}/procurement-authorisation`,
          value: o.procurementAuthorisedAt ? 'withdraw' : 'grant',
          label: o.procurementAuthorisedAt ? m['hallOperators.authorisation.withdraw'] : m['hallOperators.authorisation.grant'],
        }
      : undefined,
  }));
  const notes = [
    m['hallOperators.neverDeleted'],
    operators.permanent.enabled ? operators.permanent.note : undefined,
    operators.unbind.enabled ? operators.unbind.note : undefined,
    authorisation ? (operators.procurementAuthorisation.note ?? m['hallOperators.authorisation.note']) : undefined,
  ].filter((note): note is string => Boolean(note));
  return {
    lead: formatMessage(m['hallOperators.lead'], { unit: state.unitName }),
    hallHref: `${base}/hall`,
    csrfToken: state.csrfToken,
    notice: state.done ? doneNotice(state.done, m) : undefined,
    alert: state.alert,
    rows,
    showAuthorisation: authorisation,
    notes,
    reset: state.reset && resetPanel(profile, path, state.reset, m),
    unbind: state.unbind && {
      action: `${path}/${state.unbind.operator.operatorId}/unbind`,
      question: formatMessage(m['hallOperators.unbind.question'], { who: who(state.unbind.operator, m) }),
      notes: [m['hallOperators.unbind.keeps'], operators.unbind.note].filter((note): note is string => Boolean(note)),
      alert: state.unbind.alert,
      cancelHref: path,
    },
    add: addForm(profile, base, state, m),
    sources: sourceRefs(profile, operators.source, operators.registerInline.enabled ? operators.registerInline.source : undefined, operators.permanent.source, operators.unbind.source, operators.passwordResetByUnitAccount.source, authorisation ? operators.procurementAuthorisation.source : undefined),
  };
}

function doneNotice(done: NonNullable<OperatorsPageState['done']>, m: Messages): string {
  // Without the operator (a link typed by hand), the sentence reads without the name.
  const named = done.operator ? who(done.operator, m) : '';
  return formatMessage(m[`hallOperators.done.${done.kind}`], { who: named });
}

function resetPanel(profile: ProvinceProfile, path: string, reset: NonNullable<OperatorsPageState['reset']>, m: Messages): NonNullable<OperatorsPageView['reset']> {
  const policy = profile.registration.passwordPolicy;
  const state: InputState = { values: {}, errors: reset.errors ?? {} };
  const inputs = [
    plainInput({ name: 'newPassword', label: m['hallOperators.reset.newPassword'], type: 'password', required: true, minLength: policy.minLength, maxLength: policy.maxLength, pattern: passwordPattern(policy), hint: policy.hint, autocomplete: 'new-password' }, state),
    plainInput({ name: 'confirmPassword', label: m['hallOperators.reset.confirmPassword'], type: 'password', required: true, maxLength: policy.maxLength, autocomplete: 'new-password', confirms: 'f-newPassword' }, state),
  ];
  return {
    action: `${path}/${reset.operator.operatorId}/password`,
    who: formatMessage(m['hallOperators.reset.lead'], { who: who(reset.operator, m) }),
    inputs,
    summary: errorSummary(state.errors, inputs),
    alert: reset.alert,
    note: profile.operators.passwordResetByUnitAccount.note,
    cancelHref: path,
  };
}

function addForm(profile: ProvinceProfile, base: string, state: OperatorsPageState, m: Messages): OperatorsPageView['add'] {
  const { operators } = profile;
  const inputState: InputState = { values: state.values ?? {}, errors: state.errors ?? {} };
  const section = registrationFormSchema(profile).properties.operator;
  const field = (key: string, name: string): InputView[] => {
    const schema = section.properties[key];
    return schema ? [schemaInput(name, schema, true, inputState)] : [];
  };
  const byIdNumber = checksIdNumber(profile);
  const inputs =
    state.mode === 'new'
      ? Object.entries(section.properties).map(([key, schema]) => schemaInput(`operator.${key}`, schema, section.required.includes(key), inputState))
      : byIdNumber
        ? [...field('idType', 'idType'), ...field('idNumber', 'idNumber')]
        : field('mobile', 'mobile');
  const captcha = {
    ...state.captcha,
    input: plainInput({ name: 'captcha', label: m['form.captcha.label'], type: 'text', required: false, maxLength: 8, autocomplete: 'off', hint: m['hallOperators.add.captchaHint'] }, inputState),
  };
  const smsCode = plainInput({ name: 'smsCode', label: m['form.sms.label'], type: 'text', required: true, maxLength: 6, pattern: SMS_CODE_PATTERN, autocomplete: 'one-time-code', hint: m['hallOperators.add.smsHint'] }, inputState);
  const path = operatorsPath(base);
  const lead = state.mode === 'new' ? m['hallOperators.add.newLead'] : byIdNumber ? m['hallOperators.add.byIdNumber'] : m['hallOperators.add.byMobile'];
  return {
    action: `${path}/add`,
    api: `/api/v1/provinces/${profile.id}`,
    mode: state.mode,
    tabs: operators.registerInline.enabled
      ? [
          { id: 'existing', label: m['hallOperators.add.tabExisting'], href: `${path}?add=existing#add`, current: state.mode === 'existing' },
          { id: 'new', label: m['hallOperators.add.tabNew'], href: `${path}?add=new#add`, current: state.mode === 'new' },
        ]
      : undefined,
    lead,
    note: state.mode === 'new' ? operators.registerInline.note : undefined,
    inputs,
    captcha,
    sendCode: {},
    smsCode,
    summary: errorSummary(inputState.errors, [...inputs, captcha.input, smsCode]),
    alert: state.addAlert,
    notice: state.addNotice,
  };
}

/** The add form's fields as OperatorsService reads them, for 发送验证码 and for 确定 alike. */
export function addBody(profile: ProvinceProfile, mode: AddMode, read: (name: string) => string): Record<string, unknown> {
  const common = { captchaId: read('captchaId'), captcha: read('captcha'), smsCode: read('smsCode') };
  if (mode === 'new') {
    const keys = Object.keys(registrationFormSchema(profile).properties.operator.properties);
    // A ticked 长期 box stands for the validity end it replaces (see InputView.longTerm).
    const value = (name: string) => (read(`${name}.longTerm`) === LONG_TERM ? LONG_TERM : read(name));
    return { operator: Object.fromEntries(keys.map((key) => [key, value(`operator.${key}`)])), ...common };
  }
  return checksIdNumber(profile) ? { idType: read('idType'), idNumber: read('idNumber'), ...common } : { mobile: read('mobile'), ...common };
}

/** What the re-rendered add form shows again: every field but the passwords (and never a captcha answer). */
export function addKept(profile: ProvinceProfile, mode: AddMode, read: (name: string) => string): Record<string, string> {
  const kept: Record<string, string> = { smsCode: read('smsCode') };
  if (mode === 'new') {
    for (const [key, schema] of Object.entries(registrationFormSchema(profile).properties.operator.properties)) {
      if (schema.format !== 'password') kept[`operator.${key}`] = read(`operator.${key}`);
      if (read(`operator.${key}.longTerm`) === LONG_TERM) kept[`operator.${key}.longTerm`] = LONG_TERM;
    }
    return kept;
  }
  for (const name of checksIdNumber(profile) ? ['idType', 'idNumber'] : ['mobile']) kept[name] = read(name);
  return kept;
}
