/**
 * View models of the CA pages: 网厅 CA 绑定 (HN-8) for the unit, the administrator's review queue,
 * 账号管理 CA绑定 in procurement (HN-11, HN-12) and CA账号登录 with its activation step (HN-11).
 */
import { beijingTime } from '#src/administration/audit-query.js';
import type { BindingRequestView, HallBindingState } from '#src/ca/hall/hall-binding-requests.js';
import { caProofView, type CaProofView, type IssuedChallenge } from '#src/ca/pages/ca-proof.view.js';
import type { ActivationOffer } from '#src/ca/procurement/procurement-ca-login.js';
import type { CaAccountView, CaBindingView } from '#src/ca/procurement/procurement-ca-bindings.js';
import { plainInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import { formatMessage, isMessageKey, type Messages } from '#src/portal/i18n/messages.js';
import { linkView, type LinkView } from '#src/portal/views/external-link.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

const time = (iso: string) => beijingTime(new Date(iso)).slice(0, 16);

function statusLabel(status: string, m: Messages): string {
  const key = `ca.status.${status}`;
  return isMessageKey(key) ? m[key] : status;
}

export interface CertificateRowView {
  serial: string;
  subject: string;
  issuer: string;
  notAfter: string;
  boundAt: string;
}

function certificateRow(binding: CaBindingView): CertificateRowView {
  return { serial: binding.serial, subject: binding.subject, issuer: binding.issuer, notAfter: time(binding.notAfter), boundAt: time(binding.boundAt) };
}

export interface RequestRowView {
  requestId: string;
  unitName: string;
  uscc: string;
  serial: string;
  subject: string;
  status: string;
  statusId: string;
  submittedAt: string;
  dueAt: string;
  reason?: string | undefined;
  usccCheck: string;
  overdue: boolean;
}

function requestRow(r: BindingRequestView, now: Date, m: Messages): RequestRowView {
  return {
    requestId: r.requestId,
    unitName: r.unitName,
    uscc: r.uscc,
    serial: r.serial,
    subject: r.certificate.subject,
    status: statusLabel(r.status, m),
    statusId: r.status,
    submittedAt: time(r.submittedAt),
    dueAt: time(r.dueAt),
    reason: r.reason,
    usccCheck: r.usccMatches === undefined ? m['ca.admin.usccNone'] : r.usccMatches ? m['ca.admin.usccMatch'] : m['ca.admin.usccMismatch'],
    overdue: r.status === 'pending' && new Date(r.dueAt).getTime() < now.getTime(),
  };
}

type CaVendor = ProvinceProfile['caVendors'][number];

export interface HallBindingPageView {
  hallHref: string;
  lead: string;
  steps: string[];
  promise: string;
  holidays: string;
  contacts: string[];
  driver?: LinkView | undefined;
  current?: CertificateRowView | undefined;
  requests: RequestRowView[];
  form: { action: string; csrfToken: string; inputs: InputView[]; alert?: string | undefined };
  submitted?: string | undefined;
  loginHref: string;
  sources: SourceRef[];
}

export function hallBindingPageView(
  profile: ProvinceProfile,
  vendor: CaVendor | undefined,
  base: string,
  state: HallBindingState,
  form: InputState & { csrfToken: string; alert?: string | undefined; submitted?: BindingRequestView | undefined },
  now: Date,
  m: Messages,
): HallBindingPageView {
  const inputs = [
    plainInput({ name: 'unitName', label: m['ca.hallBinding.unitName'], type: 'text', required: true, maxLength: 100, autocomplete: 'organization' }, form),
    plainInput({ name: 'uscc', label: m['ca.hallBinding.uscc'], type: 'text', required: true, maxLength: 18, autocomplete: 'off' }, form),
    plainInput({ name: 'serial', label: m['ca.hallBinding.serial'], type: 'text', required: true, maxLength: 96, autocomplete: 'off', hint: m['ca.hallBinding.serialHint'] }, form),
  ];
  return {
    hallHref: `${base}/hall`,
    lead: formatMessage(m['ca.hallBinding.lead'], { vendor: vendor?.name ?? '' }),
    steps: vendor?.hallBinding?.steps ?? [],
    promise: formatMessage(m['ca.hallBinding.promise'], { hours: state.promise.hours, basis: state.promise.workingDaysOnly ? m['ca.hallBinding.workingDays'] : m['ca.hallBinding.calendar'] }),
    holidays: m['ca.hallBinding.holidays'],
    contacts: vendor?.contacts.map((c) => `${c.label}：${c.value}`) ?? [],
    driver: profile.urls.caDriver && linkView(profile.urls.caDriver),
    current: state.binding && certificateRow(state.binding),
    requests: state.requests.map((r) => requestRow(r, now, m)),
    form: { action: `${base}/hall/ca-binding`, csrfToken: form.csrfToken, inputs, alert: form.alert },
    submitted: form.submitted && formatMessage(m['ca.hallBinding.submitted'], { due: time(form.submitted.dueAt) }),
    loginHref: `${base}/login?method=ca`,
    sources: sourceRefs(profile, vendor?.hallBinding?.source, profile.urls.caDriver?.source),
  };
}

export interface AdminQueueView {
  pending: RequestRowView[];
  decided: RequestRowView[];
  csrfToken: string;
  actionBase: string;
  notice?: string | undefined;
  alert?: string | undefined;
}

export function adminQueueView(base: string, requests: BindingRequestView[], state: { csrfToken: string; notice?: string | undefined; alert?: string | undefined }, now: Date, m: Messages): AdminQueueView {
  const rows = requests.map((r) => requestRow(r, now, m));
  return { pending: rows.filter((r) => r.statusId === 'pending'), decided: rows.filter((r) => r.statusId !== 'pending').slice(0, 50), csrfToken: state.csrfToken, actionBase: `${base}/admin/ca-bindings`, notice: state.notice, alert: state.alert };
}

export interface TpsAccountRowView {
  accountId: string;
  name: string;
  login: string;
  kind: string;
  self: boolean;
  certificate?: CertificateRowView | undefined;
  unbindAction: string;
  bindHref: string;
}

export interface TpsBindingsPageView {
  homeHref: string;
  accounts: TpsAccountRowView[];
  csrfToken: string;
  notice?: string | undefined;
  alert?: string | undefined;
  bind?: { title: string; action: string; accountId: string; proof: CaProofView } | undefined;
  sources: SourceRef[];
}

export function tpsBindingsPageView(
  profile: ProvinceProfile,
  base: string,
  accounts: CaAccountView[],
  state: { csrfToken: string; notice?: string | undefined; alert?: string | undefined; bind?: { account: CaAccountView; challenge: IssuedChallenge; values?: Record<string, string>; errors?: Record<string, string> } | undefined },
  m: Messages,
): TpsBindingsPageView {
  const kind = (k: string) => {
    const key = `procurement.kind.${k}`;
    return isMessageKey(key) ? m[key] : k;
  };
  const bindingRules = profile.caVendors.find((v) => v.procurementBinding)?.procurementBinding;
  return {
    homeHref: `${base}/procurement`,
    accounts: accounts.map((a) => ({
      accountId: a.accountId,
      name: a.name,
      login: a.login,
      kind: kind(a.kind),
      self: a.self,
      certificate: a.binding && certificateRow(a.binding),
      unbindAction: `${base}/procurement/ca-bindings/${a.accountId}/unbind`,
      bindHref: `${base}/procurement/ca-bindings?bind=${a.accountId}`,
    })),
    csrfToken: state.csrfToken,
    notice: state.notice,
    alert: state.alert,
    bind: state.bind && {
      title: formatMessage(m['ca.tps.bindTitle'], { name: state.bind.account.name }),
      action: `${base}/procurement/ca-bindings`,
      accountId: state.bind.account.accountId,
      proof: caProofView(state.bind.challenge, { values: state.bind.values, errors: state.bind.errors }, m, 'bind'),
    },
    sources: sourceRefs(profile, bindingRules?.source),
  };
}

export interface TpsLoginPageView {
  action: string;
  csrfToken: string;
  alert?: string | undefined;
  proof?: CaProofView | undefined;
  activation?: { ticket: string; rows: Array<{ label: string; value: string }>; validFor: string } | undefined;
  driver?: LinkView | undefined;
  sources: SourceRef[];
}

export function tpsLoginPageView(
  profile: ProvinceProfile,
  base: string,
  state: { csrfToken: string; alert?: string | undefined; challenge?: IssuedChallenge | undefined; values?: Record<string, string>; errors?: Record<string, string>; activation?: ActivationOffer | undefined },
  m: Messages,
): TpsLoginPageView {
  const activation = state.activation;
  return {
    action: `${base}/procurement/ca-login`,
    csrfToken: state.csrfToken,
    alert: state.alert,
    proof: state.challenge && caProofView(state.challenge, { values: state.values, errors: state.errors }, m),
    activation: activation && {
      ticket: activation.ticket,
      rows: [
        { label: m['ca.activation.unit'], value: `${activation.account.unit.name}（${activation.account.unit.uscc}）` },
        { label: m['ca.activation.account'], value: `${activation.account.name}（${activation.account.login}）` },
        { label: m['ca.col.serial'], value: activation.certificate.serial },
        { label: m['ca.col.subject'], value: activation.certificate.subject },
        { label: m['ca.col.issuer'], value: activation.certificate.issuer },
        { label: m['ca.col.notAfter'], value: time(activation.certificate.notAfter) },
      ],
      validFor: formatMessage(m['ca.activation.validFor'], { seconds: activation.expiresInSeconds }),
    },
    driver: profile.urls.caDriver && linkView(profile.urls.caDriver),
    sources: sourceRefs(profile, profile.caVendors.find((v) => v.procurementBinding)?.procurementBinding?.source),
  };
}
