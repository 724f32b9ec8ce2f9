/**
 * The hall home page of one province, from its resolved profile: the entries the province offers
 * (its login entry with the enabled methods, registration, and — where the profile says so — the
 * procurement subsystem's own registration and login), the journey N-5, help links (HN-6), the
 * national sites (N-2) and notices.
 */
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { linkView, type LinkView } from '#src/portal/views/external-link.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface EntryView {
  /** Stable hook for tests and styles: login, registration, procurement-registration, procurement-login. */
  id: string;
  title: string;
  lead?: string | undefined;
  itemsTitle?: string | undefined;
  items: Array<{ text: string; note?: string | undefined }>;
  steps: string[];
  notes: string[];
  link?: { href: string; label: string; title: string } | undefined;
  /** This site's own page for the entry (login, registration), shown before the official hall's link. */
  local?: { href: string; label: string } | undefined;
  sources: SourceRef[];
}

export interface HomeView {
  entries: EntryView[];
  journey: Array<{ title: string; detail: string }>;
  journeySources: SourceRef[];
  help: LinkView[];
  national: LinkView[];
  notices: Array<{ title: string; body: string; sources: SourceRef[] }>;
}

const PATH_SEPARATOR = ' › ';

export function homeView(profile: ProvinceProfile, m: Messages, base = ''): HomeView {
  const entries = [loginEntry(profile, m, base), registrationEntry(profile, m, base), procurementRegistrationEntry(profile, m), procurementLoginEntry(profile, m)].filter(
    (entry): entry is EntryView => entry !== undefined,
  );
  const { urls } = profile;
  return {
    entries,
    journey: journey(profile, m),
    journeySources: sourceRefs(profile, profile.registration.steps.flatMap((s) => s.source ?? []), profile.certification.source, profile.procurement.source),
    help: [urls.helpVideo, urls.helpGuide].filter((link) => link !== undefined).map((link) => linkView(link)),
    national: [linkView(urls.nationalService), linkView(urls.codeMaintenance)],
    notices: profile.notices.map((n) => ({ title: n.title, body: n.body, sources: sourceRefs(profile, n.source) })),
  };
}

function loginEntry(profile: ProvinceProfile, m: Messages, base: string): EntryView {
  const { login, unitAccount } = profile;
  const methods = login.methods.filter((method) => method.enabled);
  const notes = [login.chooseUnitAfterLogin, login.institutionChoiceFinal, login.mainAccountForCertification]
    .filter((rule) => rule.enabled && rule.note)
    .map((rule) => rule.note ?? '');
  if (!unitAccount.canTransact && unitAccount.note) notes.push(unitAccount.note);
  if (unitAccount.lookupByCreditCode.enabled && unitAccount.lookupByCreditCode.note) notes.push(unitAccount.lookupByCreditCode.note);
  // Only recovery a manual describes: the national default has no source to show for it.
  const recovery = profile.recovery.methods.filter((method) => method.source);
  if (recovery.length > 0) notes.push(formatMessage(m['home.login.recovery'], { methods: recovery.map((method) => method.label).join('、') }));
  return {
    id: 'login',
    title: login.entryLabel,
    lead: formatMessage(m['home.login.lead'], { type: login.loginTypeLabel }),
    itemsTitle: m['home.login.methods'],
    items: methods.map((method) => ({
      text: method.label,
      note: [formatMessage(m['home.login.accounts'], { accounts: method.accounts.map((kind) => m[`account.${kind}`]).join('、') }), method.note].filter(Boolean).join('；'),
    })),
    steps: [],
    notes,
    link: { href: profile.urls.hall.url, label: m['home.login.go'], title: profile.urls.hall.title },
    local: { href: `${base}/login`, label: login.entryLabel },
    sources: sourceRefs(
      profile,
      login.source,
      ...methods.map((method) => method.source),
      login.chooseUnitAfterLogin.enabled ? login.chooseUnitAfterLogin.source : undefined,
      login.institutionChoiceFinal.enabled ? login.institutionChoiceFinal.source : undefined,
      login.mainAccountForCertification.enabled ? login.mainAccountForCertification.source : undefined,
      unitAccount.lookupByCreditCode.enabled ? unitAccount.lookupByCreditCode.source : undefined,
      ...recovery.map((method) => method.source),
      profile.urls.hall.source,
    ),
  };
}

function registrationEntry(profile: ProvinceProfile, m: Messages, base: string): EntryView | undefined {
  const { registration } = profile;
  if (!registration.enabled) return undefined;
  const hallRoles = profile.roleTypes.filter((role) => role.offered && role.registersAt === 'hall');
  const notes = [
    registration.onePerUnit.enabled ? registration.onePerUnit.note : undefined,
    formatMessage(m['home.registration.accounts'], { accounts: registration.accountsCreated.map((a) => a.label).join('、') }),
    registration.smsCode.enabled ? m['home.registration.sms'] : undefined,
    registration.graphicCaptcha.enabled ? m['home.registration.captcha'] : undefined,
    formatMessage(m['home.registration.password'], { hint: registration.passwordPolicy.hint }),
    registration.requireNationalCode.enabled ? registration.requireNationalCode.note : undefined,
  ].filter((note): note is string => Boolean(note));
  return {
    id: 'registration',
    title: registration.entryLabel,
    lead: formatMessage(m['home.registration.lead'], { path: registration.entryPath.join(PATH_SEPARATOR) }),
    itemsTitle: m['home.registration.roles'],
    items: hallRoles.map((role) => ({ text: role.name })),
    steps: registration.steps.map((step) => step.title),
    notes,
    link: { href: profile.urls.hall.url, label: m['home.registration.go'], title: profile.urls.hall.title },
    local: { href: `${base}/register`, label: registration.entryLabel },
    sources: sourceRefs(
      profile,
      registration.source,
      ...registration.steps.map((s) => s.source),
      registration.onePerUnit.source,
      ...registration.accountsCreated.map((a) => a.source),
      registration.requireNationalCode.enabled ? registration.requireNationalCode.source : undefined,
      registration.passwordPolicy.source,
    ),
  };
}

/** HN-10: roles that register in the procurement subsystem rather than the hall (Hunan's distributors). */
function procurementRegistrationEntry(profile: ProvinceProfile, m: Messages): EntryView | undefined {
  const roles = profile.roleTypes.filter((role) => role.offered && role.registersAt === 'procurement');
  const url = profile.urls.distributorRegistration;
  if (roles.length === 0 || !url) return undefined;
  const names = roles.map((role) => role.name).join('、');
  const { distributors } = profile;
  const methodLabel = (id: string) => m[`loginMethod.${id}` as keyof Messages];
  return {
    id: 'procurement-registration',
    title: formatMessage(m['home.procurementRegistration.title'], { roles: names }),
    lead: distributors.note ?? formatMessage(m['home.procurementRegistration.lead'], { roles: names }),
    itemsTitle: m['home.procurementRegistration.login'],
    items: distributors.loginMethods.map((id) => ({ text: methodLabel(id) })),
    steps: [],
    notes: distributors.reviewRequired ? [m['home.procurementRegistration.review']] : [],
    link: { href: url.url, label: m['home.procurementRegistration.go'], title: url.title },
    sources: sourceRefs(profile, ...roles.map((role) => role.source), distributors.source, url.source),
  };
}

/** AH-6/AH-7: institutions that log in at the procurement subsystem's own login page. */
function procurementLoginEntry(profile: ProvinceProfile, m: Messages): EntryView | undefined {
  const url = profile.urls.procurementLocalLogin;
  if (!url) return undefined;
  const { institutions } = profile;
  const items = [
    ...(institutions.branchSameUsccLogin === 'procurement-local' ? [{ text: m['home.localLogin.branch'] }] : []),
    ...institutions.special.filter((s) => s.loginAt === 'procurement-local').map((s) => ({ text: s.name })),
  ];
  return {
    id: 'procurement-login',
    title: m['home.localLogin.title'],
    lead: m['home.localLogin.lead'],
    itemsTitle: m['home.localLogin.who'],
    items,
    steps: [],
    notes: url.note ? [url.note] : [],
    link: { href: url.url, label: m['home.localLogin.go'], title: url.title },
    sources: sourceRefs(profile, institutions.source, ...institutions.special.map((s) => s.source), url.source),
  };
}

/** N-5: register → log in → certify → procurement, in this province's words and menu paths. */
function journey(profile: ProvinceProfile, m: Messages): HomeView['journey'] {
  const { registration, login, certification, procurement } = profile;
  const steps = [
    ...(registration.enabled ? [{ title: m['home.journey.register'], detail: registration.steps.map((s) => s.title).join(' → ') }] : []),
    { title: m['home.journey.login'], detail: `${login.entryLabel}（${login.methods.filter((x) => x.enabled).map((x) => x.label).join('、')}）` },
    { title: m['home.journey.certify'], detail: [certification.path.join(PATH_SEPARATOR), certification.note].filter(Boolean).join('：') },
    { title: m['home.journey.procurement'], detail: procurement.entryPath.join(PATH_SEPARATOR) },
  ];
  if (profile.unitAccount.holdsProcurementPermissionsAfterRegistration.enabled) {
    steps.push({ title: m['home.journey.roles'], detail: profile.unitAccount.holdsProcurementPermissionsAfterRegistration.note ?? '' });
  }
  return steps;
}
