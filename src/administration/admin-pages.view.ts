/**
 * View models of the province administrators' pages: the sign-in form, the overview, the lists of
 * units, operators and certifications, one unit, and the audit trail with its filter.
 */
import { auditQueryParams, beijingLocalInput, beijingTime, type AuditQuery } from '#src/administration/audit-query.js';
import { auditEventLabels, type AuditEventView } from '#src/administration/audit-view.js';
import type { AdministratorRecord } from '#src/administration/administrators.repository.js';
import type { AdminCertificationView, AdminOperatorView, AdminUnitDetail, AdminUnitView, Paged } from '#src/administration/directory.service.js';
import type { ProvinceCounts } from '#src/administration/directory.repository.js';
import { errorSummary, plainInput, type InputView } from '#src/identity/pages/form-inputs.js';
import type { CaptchaView } from '#src/identity/pages/page-support.js';
import { formatMessage, isMessageKey, type Messages } from '#src/portal/i18n/messages.js';
import { offersDistributorRegistration } from '#src/procurement/distributors/distributor-offer.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export type AdminSection = 'overview' | 'units' | 'operators' | 'certifications' | 'audit' | 'special-institutions' | 'ca-bindings' | 'distributor-registrations';

const SECTIONS: ReadonlyArray<{ id: AdminSection; path: string }> = [
  { id: 'overview', path: '' },
  { id: 'units', path: '/units' },
  { id: 'operators', path: '/operators' },
  { id: 'certifications', path: '/certifications' },
  { id: 'audit', path: '/audit' },
  // AH-7: only where the province has institutions that sign in at the procurement login page.
  { id: 'special-institutions', path: '/special-institutions' },
  // HN-8: only where the hall offers CA login (src/ca reviews the binding requests).
  { id: 'ca-bindings', path: '/ca-bindings' },
  // HN-10: only where distributors register at the procurement subsystem (src/procurement/distributors).
  { id: 'distributor-registrations', path: '/distributor-registrations' },
];

function offersHallCa(profile: ProvinceProfile): boolean {
  return profile.login.methods.some((m) => m.id === 'ca' && m.enabled && m.caVendor !== undefined);
}

/** The bar above every signed-in page: who is signed in, the sections, 退出登录. */
export interface AdminChromeView {
  who: string;
  nav: Array<{ id: string; href: string; label: string; current: boolean }>;
  logoutAction: string;
  csrfToken: string;
}

export function adminChrome(profile: ProvinceProfile, base: string, administrator: AdministratorRecord, current: AdminSection, csrfToken: string, m: Messages): AdminChromeView {
  const hasSpecial = profile.institutions.special.some((s) => s.loginAt === 'procurement-local');
  const name = administrator.displayName ? `${administrator.displayName}（${administrator.accountName}）` : administrator.accountName;
  return {
    who: formatMessage(m['admin.signedInAs'], { name }),
    nav: SECTIONS.filter((s) => (s.id !== 'special-institutions' || hasSpecial) && (s.id !== 'ca-bindings' || offersHallCa(profile)) && (s.id !== 'distributor-registrations' || offersDistributorRegistration(profile))).map((s) => ({ id: s.id, href: `${base}/admin${s.path}`, label: m[`admin.nav.${s.id}`], current: s.id === current })),
    logoutAction: `${base}/admin/logout`,
    csrfToken,
  };
}

export interface SignInPageView {
  lead: string;
  action: string;
  csrfToken: string;
  next?: string | undefined;
  inputs: InputView[];
  captcha: CaptchaView & { input: InputView };
  alert?: string | undefined;
  summary: Array<{ text: string; href?: string | undefined }>;
}

export function signInPageView(
  profile: ProvinceProfile,
  base: string,
  state: { csrfToken: string; captcha: CaptchaView; next?: string | undefined; values?: Record<string, string>; errors?: Record<string, string>; alert?: string | undefined },
  m: Messages,
): SignInPageView {
  const inputState = { values: state.values ?? {}, errors: state.errors ?? {} };
  const inputs = [
    plainInput({ name: 'account', label: m['admin.signIn.account'], type: 'text', required: true, maxLength: 64, autocomplete: 'username' }, inputState),
    plainInput({ name: 'password', label: m['admin.signIn.password'], type: 'password', required: true, maxLength: 128, autocomplete: 'current-password' }, inputState),
  ];
  const captchaInput = plainInput({ name: 'captcha', label: m['form.captcha.label'], type: 'text', required: true, maxLength: 8, autocomplete: 'off', hint: m['form.captcha.hint'] }, inputState);
  return {
    lead: formatMessage(m['admin.signIn.lead'], { authority: profile.authority }),
    action: `${base}/admin/login`,
    csrfToken: state.csrfToken,
    next: state.next,
    inputs,
    captcha: { ...state.captcha, input: captchaInput },
    alert: state.alert,
    summary: errorSummary(inputState.errors, [...inputs, captchaInput]),
  };
}

export interface OverviewPageView {
  chrome: AdminChromeView;
  lead: string;
  counts: Array<{ id: string; label: string; value: number; href: string }>;
  /** Filled by the procurement issue (distributor registrations HN-10, CA binding requests HN-8). */
  queues: Array<{ id: string; title: string; href?: string | undefined }>;
}

export function overviewPageView(profile: ProvinceProfile, base: string, chrome: AdminChromeView, counts: ProvinceCounts, m: Messages): OverviewPageView {
  const admin = `${base}/admin`;
  return {
    chrome,
    lead: formatMessage(m['admin.overview.lead'], { province: profile.name }),
    counts: [
      { id: 'units', label: m['admin.count.units'], value: counts.units, href: `${admin}/units` },
      { id: 'active-units', label: m['admin.count.activeUnits'], value: counts.activeUnits, href: `${admin}/units` },
      { id: 'certified-units', label: m['admin.count.certifiedUnits'], value: counts.certifiedUnits, href: `${admin}/certifications` },
      { id: 'bound-operators', label: m['admin.count.boundOperators'], value: counts.boundOperators, href: `${admin}/operators?state=bound` },
      { id: 'failures', label: m['admin.count.failures'], value: counts.failuresLast24h, href: `${admin}/audit?outcome=failure` },
    ],
    queues: [
      { id: 'distributor-registrations', title: m['admin.queue.distributors'], href: offersDistributorRegistration(profile) ? `${admin}/distributor-registrations` : undefined },
      { id: 'ca-bindings', title: m['admin.queue.caBindings'], href: offersHallCa(profile) ? `${admin}/ca-bindings` : undefined },
    ],
  };
}

export interface PagerView {
  summary: string;
  prevHref?: string | undefined;
  nextHref?: string | undefined;
}

/** 上一页 / 下一页 links keeping the page's filters (`params`), and where the list stands. */
export function pager(path: string, params: URLSearchParams, paged: Paged<unknown>, m: Messages): PagerView {
  const at = (page: number) => {
    const p = new URLSearchParams(params);
    if (page > 1) p.set('page', String(page));
    else p.delete('page');
    const query = p.toString();
    return query ? `${path}?${query}` : path;
  };
  return {
    summary: formatMessage(m['admin.pager.summary'], { page: paged.page, pages: paged.pages, total: paged.total }),
    prevHref: paged.page > 1 ? at(Math.min(paged.page - 1, paged.pages)) : undefined,
    nextHref: paged.page < paged.pages ? at(paged.page + 1) : undefined,
  };
}

function statusLabel(status: string, m: Messages): string {
  const key = `admin.status.${status}`;
  return isMessageKey(key) ? m[key] : status;
}

export interface FilterState {
  values: Record<string, string>;
  errors: Record<string, string>;
  alert?: string | undefined;
}

export interface ListPageView<Row> {
  chrome: AdminChromeView;
  action: string;
  filters: FilterState;
  options?: Array<{ value: string; label: string; selected: boolean }> | undefined;
  rows: Row[];
  pager?: PagerView | undefined;
}

export interface UnitRowView {
  href: string;
  name: string;
  uscc: string;
  accountName: string;
  status: string;
  registeredAt: string;
  roleTypes: string;
}

function unitRow(base: string, unit: AdminUnitView, m: Messages): UnitRowView {
  return {
    href: `${base}/admin/units/${unit.id}`,
    name: unit.name,
    uscc: unit.uscc,
    accountName: unit.accountName,
    status: statusLabel(unit.status, m),
    registeredAt: beijingTime(new Date(unit.registeredAt)),
    roleTypes: unit.certifiedRoleTypes.map((r) => r.name).join('、') || m['admin.none'],
  };
}

export function unitsPageView(base: string, chrome: AdminChromeView, paged: Paged<AdminUnitView> | undefined, filters: FilterState, m: Messages): ListPageView<UnitRowView> {
  const path = `${base}/admin/units`;
  return { chrome, action: path, filters, rows: (paged?.items ?? []).map((u) => unitRow(base, u, m)), pager: paged && pager(path, paramsOf(filters.values, ['q']), paged, m) };
}

export interface OperatorRowView {
  name: string;
  mobile: string;
  unitName: string;
  unitHref: string;
  uscc: string;
  boundAt: string;
  state: string;
  procurement: string;
}

function operatorRow(base: string, row: AdminOperatorView, m: Messages): OperatorRowView {
  return {
    name: row.name,
    mobile: row.mobile,
    unitName: row.unit.name,
    unitHref: `${base}/admin/units/${row.unit.id}`,
    uscc: row.unit.uscc,
    boundAt: beijingTime(new Date(row.boundAt)),
    state: row.unboundAt ? formatMessage(m['admin.operators.unboundAt'], { time: beijingTime(new Date(row.unboundAt)) }) : m['admin.operators.bound'],
    procurement: row.procurementAuthorisedAt ? formatMessage(m['admin.operators.procurementAt'], { time: beijingTime(new Date(row.procurementAuthorisedAt)) }) : m['admin.none'],
  };
}

export function operatorsPageView(base: string, chrome: AdminChromeView, paged: Paged<AdminOperatorView> | undefined, filters: FilterState, m: Messages): ListPageView<OperatorRowView> {
  const path = `${base}/admin/operators`;
  const state = filters.values.state ?? '';
  return {
    chrome,
    action: path,
    filters,
    options: [
      { value: '', label: m['admin.operators.state.all'], selected: state === '' },
      { value: 'bound', label: m['admin.operators.bound'], selected: state === 'bound' },
      { value: 'unbound', label: m['admin.operators.unbound'], selected: state === 'unbound' },
    ],
    rows: (paged?.items ?? []).map((o) => operatorRow(base, o, m)),
    pager: paged && pager(path, paramsOf(filters.values, ['q', 'state']), paged, m),
  };
}

export interface CertificationRowView {
  unitName: string;
  unitHref: string;
  uscc: string;
  roleType: string;
  certifiedBy: string;
  certifiedAt: string;
}

function certificationRow(base: string, row: AdminCertificationView, m: Messages): CertificationRowView {
  const kindKey = `audit.actorKind.${row.certifiedBy.kind}`;
  const kind = isMessageKey(kindKey) ? m[kindKey] : row.certifiedBy.kind;
  return {
    unitName: row.unit.name,
    unitHref: `${base}/admin/units/${row.unit.id}`,
    uscc: row.unit.uscc,
    roleType: row.roleType.name,
    certifiedBy: row.certifiedBy.account ? `${kind} ${row.certifiedBy.account}` : kind,
    certifiedAt: beijingTime(new Date(row.certifiedAt)),
  };
}

export function certificationsPageView(profile: ProvinceProfile, base: string, chrome: AdminChromeView, paged: Paged<AdminCertificationView> | undefined, filters: FilterState, m: Messages): ListPageView<CertificationRowView> {
  const path = `${base}/admin/certifications`;
  const chosen = filters.values.roleType ?? '';
  return {
    chrome,
    action: path,
    filters,
    options: [{ value: '', label: m['admin.certifications.allRoles'], selected: chosen === '' }, ...profile.roleTypes.map((r) => ({ value: r.id, label: r.name, selected: r.id === chosen }))],
    rows: (paged?.items ?? []).map((c) => certificationRow(base, c, m)),
    pager: paged && pager(path, paramsOf(filters.values, ['q', 'roleType']), paged, m),
  };
}

export interface UnitPageView {
  chrome: AdminChromeView;
  name: string;
  rows: Array<{ id: string; label: string; value: string }>;
  certifications: CertificationRowView[];
  operators: OperatorRowView[];
  auditHref: string;
  backHref: string;
}

export function unitPageView(base: string, chrome: AdminChromeView, unit: AdminUnitDetail, m: Messages): UnitPageView {
  const row = unitRow(base, unit, m);
  const rows = [
    { id: 'uscc', label: m['admin.units.col.uscc'], value: row.uscc },
    { id: 'account', label: m['admin.units.col.account'], value: row.accountName },
    { id: 'status', label: m['admin.units.col.status'], value: row.status },
    { id: 'registered', label: m['admin.units.col.registeredAt'], value: row.registeredAt },
    { id: 'roles', label: m['admin.units.col.roleTypes'], value: row.roleTypes },
  ];
  if (unit.deregisteredAt) rows.push({ id: 'deregistered', label: m['admin.units.deregisteredAt'], value: beijingTime(new Date(unit.deregisteredAt)) });
  return {
    chrome,
    name: unit.name,
    rows,
    certifications: unit.certifications.map((c) => certificationRow(base, c, m)),
    operators: unit.operators.map((o) => operatorRow(base, o, m)),
    auditHref: `${base}/admin/audit?unit=${encodeURIComponent(unit.uscc)}`,
    backHref: `${base}/admin/units`,
  };
}

export interface AuditRowView {
  id: string;
  time: string;
  kind: string;
  code: string;
  outcome: string;
  failed: boolean;
  actorKind: string;
  account: string;
  unit: string;
  unitHref?: string | undefined;
  clientIp: string;
  requestId: string;
  detail: string;
}

export interface AuditPageView {
  chrome: AdminChromeView;
  action: string;
  filters: FilterState;
  outcomes: Array<{ value: string; label: string; selected: boolean }>;
  kinds: string[];
  rows: AuditRowView[];
  nextHref?: string | undefined;
  firstHref?: string | undefined;
  csvHref?: string | undefined;
}

/** Prefixes offered in the kind box (a datalist: any other kind can still be typed). */
const KIND_SUGGESTIONS = ['session.', 'login.', 'registration.', 'certification.', 'operator.', 'recovery.', 'qr.', 'unit.', 'admin.', 'administrator.', 'profile.', 'procurement.'];

export function auditPageView(
  base: string,
  api: string,
  chrome: AdminChromeView,
  result: { query: AuditQuery; events: AuditEventView[]; nextCursor: string | null } | undefined,
  filters: FilterState,
  m: Messages,
): AuditPageView {
  const path = `${base}/admin/audit`;
  const outcome = filters.values.outcome ?? '';
  const formParams = paramsOf(filters.values, ['unit', 'actor', 'kind', 'outcome', 'from', 'to']);
  return {
    chrome,
    action: path,
    filters,
    outcomes: [
      { value: '', label: m['admin.audit.allOutcomes'], selected: outcome === '' },
      { value: 'success', label: m['audit.outcome.success'], selected: outcome === 'success' },
      { value: 'failure', label: m['audit.outcome.failure'], selected: outcome === 'failure' },
    ],
    kinds: KIND_SUGGESTIONS,
    rows: (result?.events ?? []).map((event) => {
      const labels = auditEventLabels(event, m);
      const kindKey = `audit.kind.${event.kind}`;
      return {
        id: event.id,
        time: labels.time,
        kind: isMessageKey(kindKey) ? m[kindKey] : event.kind,
        code: event.kind,
        outcome: labels.outcome,
        failed: event.outcome === 'failure',
        actorKind: labels.actorKind,
        account: event.account ?? '',
        unit: labels.unit,
        unitHref: event.unit?.name ? `${base}/admin/units/${event.unit.id}` : undefined,
        clientIp: event.clientIp ?? '',
        requestId: event.requestId ?? '',
        detail: Object.keys(event.detail).length > 0 ? JSON.stringify(event.detail) : '',
      };
    }),
    nextHref: result?.nextCursor ? withQuery(path, formParams, { cursor: result.nextCursor }) : undefined,
    firstHref: result?.query.cursor ? withQuery(path, formParams, {}) : undefined,
    csvHref: result ? withQuery(`${api}/audit-events.csv`, auditQueryParams(result.query), {}) : undefined,
  };
}

/** The form's own values (not the parsed ones): the next page reads them the same way. */
function paramsOf(values: Record<string, string>, names: readonly string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of names) if (values[name]) params.set(name, values[name]);
  return params;
}

function withQuery(path: string, params: URLSearchParams, extra: Record<string, string>): string {
  const p = new URLSearchParams(params);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const query = p.toString();
  return query ? `${path}?${query}` : path;
}

/** What the audit form shows again: the values typed (times as the datetime-local inputs hold them). */
export function auditFormValues(raw: Record<string, unknown>, parsed: AuditQuery | undefined): Record<string, string> {
  const read = (name: string) => {
    const v: unknown = raw[name];
    const first: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
    return typeof first === 'string' ? first.trim() : '';
  };
  return {
    unit: read('unit'),
    actor: read('actor'),
    kind: read('kind'),
    outcome: read('outcome'),
    from: parsed?.from ? beijingLocalInput(parsed.from) : read('from'),
    to: parsed?.to ? beijingLocalInput(parsed.to) : read('to'),
  };
}
