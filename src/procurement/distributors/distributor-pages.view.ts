/**
 * View models of the distributors' pages (HN-10): 用户注册 with its 企业信息 and 账户信息, the answer
 * after submitting, and the province administrator's review queue. Pure: view models only.
 */
import { beijingTime } from '#src/administration/audit-query.js';
import { passwordPattern } from '#src/identity/checks/password-policy.js';
import { errorSummary, inputId, plainInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import type { CaptchaView } from '#src/identity/pages/page-support.js';
import type { AlertView } from '#src/identity/pages/registration-page.view.js';
import { MOBILE_PATTERN, UNIT_ACCOUNT_PATTERN, USCC_PATTERN } from '#src/identity/registration/registration-form.js';
import { formatMessage, isMessageKey, type Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { RegistrationView, SubmittedRegistration } from '#src/procurement/distributors/distributor-registrations.service.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

/** The body fields of `POST …/procurement/distributor-registrations`, which the page form posts under the same names. */
export const REGISTRATION_FIELDS = ['unitName', 'uscc', 'contactName', 'contactMobile', 'loginName', 'password', 'confirmPassword', 'captchaId', 'captcha'] as const;

export interface RegisterPageView {
  action: string;
  csrfToken: string;
  sections: Array<{ id: string; title: string; inputs: InputView[] }>;
  captcha: { input: InputView; src: string; captchaId: string };
  alert?: AlertView | undefined;
  summary: Array<{ text: string; href?: string | undefined }>;
  loginHref: string;
  sources: SourceRef[];
}

export function registerPageView(profile: ProvinceProfile, base: string, state: InputState & { csrfToken: string; captcha: CaptchaView; alert?: AlertView | undefined }, m: Messages): RegisterPageView {
  const policy = profile.registration.passwordPolicy;
  const text = (name: string, label: string, extra: { maxLength: number; pattern?: string; hint?: string; autocomplete?: string; type?: string }) =>
    plainInput({ name, label, type: extra.type ?? 'text', required: true, maxLength: extra.maxLength, pattern: extra.pattern, hint: extra.hint, autocomplete: extra.autocomplete ?? 'off' }, state);
  const enterprise = [
    text('unitName', m['distributor.register.unitName'], { maxLength: 100, autocomplete: 'organization' }),
    text('uscc', m['distributor.register.uscc'], { maxLength: 18, pattern: USCC_PATTERN, hint: m['distributor.register.usccHint'] }),
    text('contactName', m['distributor.register.contactName'], { maxLength: 50, autocomplete: 'name' }),
    text('contactMobile', m['distributor.register.contactMobile'], { maxLength: 11, pattern: MOBILE_PATTERN, type: 'tel', autocomplete: 'tel' }),
  ];
  const account = [
    text('loginName', m['distributor.register.loginName'], { maxLength: 32, pattern: UNIT_ACCOUNT_PATTERN, hint: m['distributor.register.loginNameHint'], autocomplete: 'username' }),
    text('password', m['distributor.register.password'], { maxLength: policy.maxLength, pattern: passwordPattern(policy), hint: policy.hint, type: 'password', autocomplete: 'new-password' }),
    { ...text('confirmPassword', m['distributor.register.confirmPassword'], { maxLength: policy.maxLength, type: 'password', autocomplete: 'new-password' }), confirms: inputId('password') },
  ];
  const captchaInput = plainInput({ name: 'captcha', label: m['distributor.register.captcha'], type: 'text', required: true, maxLength: 8, autocomplete: 'off', hint: m['form.captcha.hint'] }, state);
  return {
    action: `${base}/procurement/register`,
    csrfToken: state.csrfToken,
    sections: [
      { id: 'enterprise', title: m['distributor.register.enterprise'], inputs: enterprise },
      { id: 'account', title: m['distributor.register.account'], inputs: account },
    ],
    captcha: { input: captchaInput, src: state.captcha.src, captchaId: state.captcha.captchaId },
    alert: state.alert,
    summary: errorSummary(state.errors, [...enterprise, ...account, captchaInput]),
    loginHref: `${base}/procurement/login`,
    sources: sourceRefs(profile, profile.distributors.source, profile.urls.distributorRegistration?.source, profile.registration.passwordPolicy.source),
  };
}

export interface RegisterDoneView {
  message: string;
  reference: string;
  note?: string | undefined;
  loginHref: string;
}

export function registerDoneView(base: string, submitted: SubmittedRegistration, m: Messages): RegisterDoneView {
  return {
    message: submitted.message,
    reference: formatMessage(m['distributor.done.reference'], { reference: submitted.reference }),
    note: submitted.status === 'pending' ? m['distributor.done.note'] : undefined,
    loginHref: `${base}/procurement/login`,
  };
}

export interface QueueRowView {
  registrationId: string;
  unitName: string;
  uscc: string;
  contact: string;
  loginName: string;
  reference: string;
  submittedAt: string;
  status: string;
  statusId: string;
  reason?: string | undefined;
}

export interface AdminQueueView {
  pending: QueueRowView[];
  decided: QueueRowView[];
  actionBase: string;
  csrfToken: string;
  notice?: string | undefined;
  alert?: string | undefined;
}

export function adminQueueView(base: string, registrations: RegistrationView[], state: { csrfToken: string; notice?: string | undefined; alert?: string | undefined }, m: Messages): AdminQueueView {
  const rows = registrations.map((r): QueueRowView => {
    const key = `distributor.status.${r.status}`;
    return {
      registrationId: r.registrationId,
      unitName: r.unitName,
      uscc: r.uscc,
      contact: `${r.contactName} ${r.contactMobile}`,
      loginName: r.loginName,
      reference: r.reference,
      submittedAt: beijingTime(new Date(r.submittedAt)).slice(0, 16),
      status: isMessageKey(key) ? m[key] : r.status,
      statusId: r.status,
      reason: r.reason,
    };
  });
  return { pending: rows.filter((r) => r.statusId === 'pending'), decided: rows.filter((r) => r.statusId !== 'pending').slice(0, 50), actionBase: `${base}/admin/distributor-registrations`, csrfToken: state.csrfToken, notice: state.notice, alert: state.alert };
}
