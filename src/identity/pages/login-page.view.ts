/**
 * The login page (JL-4, NM-4, AH-3, HN-1, HN-6, JL-6): one tab per method the profile enables, as
 * plain links (`?method=…`, keyboard and no-script friendly); account + password + captcha, the
 * credit code instead of the account (JL-4), the QR code (HN-1), and the links around the form.
 */
import { errorSummary, plainInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import { caProofView, type CaProofView, type IssuedChallenge } from '#src/ca/pages/ca-proof.view.js';
import { withNext, type CaptchaView } from '#src/identity/pages/page-support.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { linkView, type LinkView } from '#src/portal/views/external-link.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export type LoginMethod = ProvinceProfile['login']['methods'][number];

export interface QrTicketView {
  ticketId: string;
  pollToken: string;
  src: string;
  expiresInSeconds: number;
  confirmUrl: string;
}

export interface LoginPageState {
  csrfToken: string;
  method: LoginMethod;
  next?: string | undefined;
  captcha?: CaptchaView | undefined;
  values?: Readonly<Record<string, string>>;
  errors?: Readonly<Record<string, string>>;
  alert?: string | undefined;
  qr?: QrTicketView | undefined;
  /** The CA tab's challenge (HN-1). */
  ca?: IssuedChallenge | undefined;
  /** A hall session already open in this browser. */
  signedIn?: { account: string } | undefined;
}

export interface LoginPageView {
  heading: string;
  lead: string;
  action: string;
  api: string;
  csrfToken: string;
  next?: string | undefined;
  tabs: Array<{ id: string; label: string; href: string; current: boolean }>;
  method: { id: string; label: string; note?: string | undefined; form: 'password' | 'qr' | 'ca' };
  inputs: InputView[];
  captcha?: (CaptchaView & { input: InputView }) | undefined;
  qr?: (QrTicketView & { pollUrl: string; refreshHref: string; validFor: string }) | undefined;
  ca?: { driver?: LinkView | undefined; supportHref: string; proof?: CaProofView | undefined; bindingHref: string } | undefined;
  summary: Array<{ text: string; href?: string | undefined }>;
  alert?: string | undefined;
  links: Array<{ id: string; href: string; label: string }>;
  help: LinkView[];
  notes: string[];
  signedIn?: { text: string; hallHref: string } | undefined;
  sources: SourceRef[];
}

export function enabledMethods(profile: ProvinceProfile): LoginMethod[] {
  return profile.login.methods.filter((m) => m.enabled);
}

/** The tab a `?method=` or a posted `method` names, or the first enabled one. */
export function chosenMethod(profile: ProvinceProfile, requested: string): LoginMethod {
  const methods = enabledMethods(profile);
  const method = methods.find((m) => m.id === requested) ?? methods[0];
  // The profile schema requires at least one method, and the cross-checks one that is enabled.
  if (!method) throw new Error(`${profile.id}: no login method enabled`);
  return method;
}

export function loginPageView(profile: ProvinceProfile, base: string, state: LoginPageState, m: Messages): LoginPageView {
  const { login, unitAccount, registration, urls } = profile;
  const inputState: InputState = { values: state.values ?? {}, errors: state.errors ?? {} };
  const method = state.method;
  const form = method.id === 'qr' ? 'qr' : method.id === 'ca' ? 'ca' : 'password';
  const accountKinds = method.accounts.map((kind) => m[`account.${kind}`]).join('、');
  const inputs =
    form === 'password'
      ? [
          method.id === 'credit-code'
            ? plainInput({ name: 'account', label: m['login.uscc'], type: 'text', required: true, maxLength: 18, autocomplete: 'username', hint: m['login.usccHint'] }, inputState)
            : plainInput(
                {
                  name: 'account',
                  label: m['login.account'],
                  type: 'text',
                  required: true,
                  maxLength: 64,
                  autocomplete: 'username',
                  hint: [formatMessage(m['login.accountHint'], { accounts: accountKinds }), method.accounts.includes('operator') ? m['login.operatorIsMobile'] : undefined].filter(Boolean).join(''),
                },
                inputState,
              ),
          plainInput({ name: 'password', label: m['login.password'], type: 'password', required: true, maxLength: 128, autocomplete: 'current-password' }, inputState),
        ]
      : [];
  const captcha =
    form === 'password' && method.graphicCaptcha && state.captcha
      ? { ...state.captcha, input: plainInput({ name: 'captcha', label: m['form.captcha.label'], type: 'text', required: true, maxLength: 8, autocomplete: 'off', hint: m['form.captcha.hint'] }, inputState) }
      : undefined;
  const qr = state.qr
    ? {
        ...state.qr,
        pollUrl: `/api/v1/provinces/${profile.id}/qr-logins/${state.qr.ticketId}`,
        refreshHref: withNext(`${base}/login?method=qr`, state.next),
        validFor: formatMessage(m['login.qr.validFor'], { seconds: state.qr.expiresInSeconds }),
      }
    : undefined;

  const links: LoginPageView['links'] = [];
  if (registration.enabled) links.push({ id: 'register', href: `${base}/register`, label: registration.entryLabel });
  if (profile.recovery.methods.length > 0) links.push({ id: 'recover', href: `${base}/recover`, label: m['login.forgot'] });
  if (unitAccount.lookupByCreditCode.enabled) links.push({ id: 'lookup', href: `${base}/lookup`, label: m['lookup.title'] });

  const notes = [method.note, ...[login.chooseUnitAfterLogin, login.institutionChoiceFinal, login.mainAccountForCertification].filter((rule) => rule.enabled).map((rule) => rule.note)];
  if (!unitAccount.canTransact && unitAccount.note) notes.push(unitAccount.note);

  return {
    heading: login.entryLabel,
    lead: formatMessage(m['login.lead'], { type: login.loginTypeLabel }),
    action: `${base}/login`,
    api: `/api/v1/provinces/${profile.id}`,
    csrfToken: state.csrfToken,
    next: state.next,
    tabs: enabledMethods(profile).map((t) => ({ id: t.id, label: t.label, href: withNext(`${base}/login?method=${t.id}`, state.next), current: t.id === method.id })),
    method: { id: method.id, label: method.label, note: method.note, form },
    inputs,
    captcha,
    qr,
    ca: form === 'ca' ? { driver: urls.caDriver && linkView(urls.caDriver), supportHref: `${base}/support`, proof: state.ca && caProofView(state.ca, inputState, m), bindingHref: `${base}/hall/ca-binding` } : undefined,
    summary: errorSummary(inputState.errors, [...inputs, ...(captcha ? [captcha.input] : [])]),
    alert: state.alert,
    links,
    help: [urls.helpVideo, urls.helpGuide].filter((link) => link !== undefined).map((link) => linkView(link)),
    notes: [...new Set(notes.filter((note): note is string => Boolean(note)))],
    signedIn: state.signedIn && { text: formatMessage(m['login.signedIn'], { account: state.signedIn.account }), hallHref: `${base}/hall` },
    sources: sourceRefs(
      profile,
      login.source,
      method.source,
      login.chooseUnitAfterLogin.enabled ? login.chooseUnitAfterLogin.source : undefined,
      login.institutionChoiceFinal.enabled ? login.institutionChoiceFinal.source : undefined,
      unitAccount.lookupByCreditCode.enabled ? unitAccount.lookupByCreditCode.source : undefined,
      urls.helpVideo?.source,
    ),
  };
}
