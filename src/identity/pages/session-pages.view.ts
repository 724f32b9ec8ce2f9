/**
 * The pages behind a hall session: the signed-in landing (XZ-5, N-5), the unit chooser (NM-4,
 * AH-3), the final institution choice (NM-5) and the QR confirmation that stands in for the
 * national app (HN-1).
 */
import type { SignedInActor } from '#src/identity/sessions/signed-in-actor.service.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

const PATH_SEPARATOR = ' › ';

export interface ActorSummaryView {
  rows: Array<{ label: string; value: string; id: string }>;
}

/** Who is signed in, as the hall shows it: login type, account, name, unit, institution. */
export function actorSummary(profile: ProvinceProfile, actor: SignedInActor, m: Messages): ActorSummaryView {
  const rows = [
    { id: 'login-type', label: m['session.loginType'], value: profile.login.loginTypeLabel },
    { id: 'kind', label: m['session.kind'], value: m[`account.${actor.kind}`] },
    { id: 'account', label: m['session.account'], value: actor.account },
    { id: 'name', label: actor.kind === 'operator' ? m['session.operatorName'] : m['session.unitName'], value: actor.name },
  ];
  if (actor.kind === 'operator' && actor.unit) rows.push({ id: 'unit', label: m['session.unit'], value: actor.unit.name });
  if (actor.unit) rows.push({ id: 'uscc', label: m['session.uscc'], value: actor.unit.uscc });
  if (actor.institution) rows.push({ id: 'institution', label: m['session.institution'], value: `${actor.institution.name}（${actor.institution.code}）` });
  return { rows };
}

export interface HallPageView {
  welcome: string;
  summary: ActorSummaryView;
  switchUnitHref?: string | undefined;
  notes: string[];
  /** A service opens by a link, or (the hand-off, N-5) by a form that posts with the CSRF token. */
  services: Array<{ id: string; title: string; path: string; note?: string | undefined; href?: string | undefined; action?: string | undefined }>;
  logoutAction: string;
  csrfToken: string;
  sources: SourceRef[];
}

export function hallPageView(profile: ProvinceProfile, base: string, actor: SignedInActor, csrfToken: string, m: Messages): HallPageView {
  const { certification, procurement, unitAccount, login, operators } = profile;
  const notes: string[] = [];
  if (actor.kind === 'unit' && !unitAccount.canTransact && unitAccount.note) notes.push(unitAccount.note);
  if (login.mainAccountForCertification.enabled && login.mainAccountForCertification.note && actor.kind === 'operator') notes.push(login.mainAccountForCertification.note);
  // JL-9: an operator authorised for procurement works there, no longer in the unit's insurance business.
  if (actor.procurementAuthorised && operators.procurementAuthorisation.note) notes.push(operators.procurementAuthorisation.note);
  const unitHallPath = certification.path[0] ?? m['hall.service.unitHall'];
  return {
    welcome: formatMessage(m['hall.welcome'], { name: actor.name }),
    summary: actorSummary(profile, actor, m),
    switchUnitHref: actor.kind === 'operator' && (actor.units?.length ?? 0) > 1 ? `${base}/choose-unit` : undefined,
    notes,
    // Each says where it sits in the province's menus; those built so far link to their page.
    services: [
      { id: 'unit-hall', title: m['hall.service.unitHall'], path: unitHallPath },
      { id: 'certification', title: m['hall.service.certify'], path: certification.path.join(PATH_SEPARATOR), note: certification.note, href: `${base}/certify` },
      // 单位管理 is the unit account's (JL-8, HN-4): operators do not manage each other.
      ...(actor.kind === 'unit'
        ? [
            { id: 'operators', title: m['hall.service.operators'], path: operators.addPath.slice(0, -1).join(PATH_SEPARATOR), href: `${base}/hall/operators` },
            { id: 'unit', title: m['hall.service.unit'], path: m['hall.service.unit'], href: `${base}/hall/unit` },
            // HN-8: where the hall takes CA certificates, the unit asks for its binding here (src/ca).
            ...(login.methods.some((method) => method.id === 'ca' && method.enabled) ? [{ id: 'ca-binding', title: m['ca.hallBinding.title'], path: m['ca.hallBinding.title'], href: `${base}/hall/ca-binding` }] : []),
          ]
        : []),
      // The entry's own name: 招采企业服务, or Tibet's 医药采购服务 (XZ-7).
      { id: 'procurement', title: procurement.entryPath.at(-2) ?? m['hall.service.procurement'], path: procurement.entryPath.join(PATH_SEPARATOR), action: `${base}/hall/procurement` },
    ].map((s) => ({ ...s, path: formatMessage(m['hall.service.path'], { path: s.path }) })),
    logoutAction: `${base}/logout`,
    csrfToken,
    sources: sourceRefs(profile, login.source, certification.source, procurement.source),
  };
}

export interface ChoiceView {
  action: string;
  csrfToken: string;
  next?: string | undefined;
  options: Array<{ id: string; value: string; label: string; detail: string; checked: boolean }>;
  error?: string | undefined;
  confirmError?: string | undefined;
  alert?: string | undefined;
  note?: string | undefined;
  sources: SourceRef[];
}

export function chooseUnitView(profile: ProvinceProfile, base: string, actor: SignedInActor, state: { csrfToken: string; next?: string | undefined; error?: string | undefined; alert?: string | undefined }, m: Messages): ChoiceView {
  const units = actor.units ?? [];
  const current = actor.unit?.id ?? units[0]?.id;
  return {
    action: `${base}/choose-unit`,
    csrfToken: state.csrfToken,
    next: state.next,
    options: units.map((u, index) => ({ id: `unit-${index + 1}`, value: u.id, label: u.name, detail: formatMessage(m['chooseUnit.uscc'], { uscc: u.uscc }), checked: u.id === current })),
    error: state.error,
    alert: state.alert,
    note: profile.login.chooseUnitAfterLogin.enabled ? profile.login.chooseUnitAfterLogin.note : undefined,
    sources: sourceRefs(profile, profile.login.chooseUnitAfterLogin.source, profile.login.methods.find((x) => x.id === 'password')?.source),
  };
}

export function chooseInstitutionView(
  profile: ProvinceProfile,
  base: string,
  actor: SignedInActor,
  state: { csrfToken: string; next?: string | undefined; chosen?: string | undefined; error?: string | undefined; confirmError?: string | undefined; alert?: string | undefined },
  m: Messages,
): ChoiceView & { unitName: string } {
  const rule = profile.login.institutionChoiceFinal;
  return {
    action: `${base}/choose-institution`,
    csrfToken: state.csrfToken,
    next: state.next,
    options: (actor.institutions ?? []).map((i, index) => ({ id: `institution-${index + 1}`, value: i.code, label: i.name, detail: formatMessage(m['chooseInstitution.code'], { code: i.code }), checked: i.code === state.chosen })),
    error: state.error,
    confirmError: state.confirmError,
    alert: state.alert,
    note: rule.note,
    unitName: actor.unit?.name ?? '',
    sources: sourceRefs(profile, rule.source),
  };
}

export interface QrConfirmView {
  action: string;
  csrfToken: string;
  summary: ActorSummaryView;
  alert?: string | undefined;
  canConfirm: boolean;
  hallHref: string;
  sources: SourceRef[];
}

export function qrConfirmView(profile: ProvinceProfile, base: string, ticketId: string, actor: SignedInActor, state: { csrfToken: string; alert?: string | undefined; canConfirm: boolean }, m: Messages): QrConfirmView {
  return {
    action: `${base}/qr/${ticketId}`,
    csrfToken: state.csrfToken,
    summary: actorSummary(profile, actor, m),
    alert: state.alert,
    canConfirm: state.canConfirm,
    hallHref: `${base}/hall`,
    sources: sourceRefs(profile, profile.login.methods.find((x) => x.id === 'qr')?.source),
  };
}
