/**
 * The procurement subsystem's pages: the hand-off step (N-5), its home, its own login page (AH-6,
 * AH-7) and the main account's 机构子账号 (AH-6). Pure: view models only.
 */
import type { InputView } from '#src/identity/pages/form-inputs.js';
import type { CaptchaView } from '#src/identity/pages/page-support.js';
import type { LocalAccountView } from '#src/procurement/local-accounts.service.js';
import type { permittedMenus } from '#src/authz/procurement-ability.js';
import type { ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import { offersDistributorRegistration } from '#src/procurement/distributors/distributor-offer.js';
import type { RegistryInstitution } from '#src/national-registry/national-registry.port.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface EnterPageView {
  /** The auto-submitted form that spends the ticket; absent when the hall refused one. */
  form?: { action: string; ticket: string; csrfToken: string; manual: string } | undefined;
  refused?: { message: string; links: Array<{ id: string; href: string; label: string }> } | undefined;
  hallHref: string;
}

export function enterPageView(base: string, state: { ticket?: { ticket: string; url: string; expiresInSeconds: number }; csrfToken: string; refused?: { message: string; code: string } }, m: Messages): EnterPageView {
  const links = [{ id: 'hall', href: `${base}/hall`, label: m['procurement.enter.again'] }];
  if (state.refused?.code === 'HANDOFF_NOT_CERTIFIED') links.unshift({ id: 'certify', href: `${base}/certify`, label: m['procurement.enter.certify'] });
  return {
    form: state.ticket && { action: state.ticket.url, ticket: state.ticket.ticket, csrfToken: state.csrfToken, manual: formatMessage(m['procurement.enter.manual'], { seconds: state.ticket.expiresInSeconds }) },
    refused: state.refused && { message: state.refused.message, links },
    hallHref: `${base}/hall`,
  };
}

export interface ProcurementHomeView {
  welcome: string;
  rows: Array<{ id: string; label: string; value: string }>;
  notes: string[];
  /** The menus this account's ability opens, each with the buttons it may press. */
  menus: Array<{ id: string; title: string; items: Array<{ id: string; title: string; href?: string | undefined; actions: string }> }>;
  menusNote: string;
  subAccountsHref?: string | undefined;
  /** 账号管理 → CA绑定 (HN-11, HN-12), where the procurement subsystem takes CA certificates. */
  caBindingsHref?: string | undefined;
  logoutAction: string;
  csrfToken: string;
  sources: SourceRef[];
}

/** What the account sees on entering: who it is and the menu tree of its role types (its actions come with roles). */
/** Menus with a page of their own so far; the others are listed with their buttons. */
const MENU_PAGES: Readonly<Record<string, string>> = { 'account-roles': '/procurement/roles', accounts: '/procurement/accounts', 'product-matching': '/procurement/products' };

export function procurementHomeView(profile: ProvinceProfile, base: string, actor: ProcurementActor, permitted: ReturnType<typeof permittedMenus>, csrfToken: string, m: Messages): ProcurementHomeView {
  const roleName = (id: string) => profile.roleTypes.find((r) => r.id === id)?.certificationLabel ?? profile.roleTypes.find((r) => r.id === id)?.name ?? id;
  const rows = [
    { id: 'kind', label: m['procurement.account.kind'], value: m[`procurement.kind.${actor.kind}`] },
    { id: 'account', label: m['procurement.account.login'], value: actor.account },
    { id: 'name', label: m['procurement.account.name'], value: actor.name },
  ];
  if (actor.unit) rows.push({ id: 'unit', label: m['procurement.account.unit'], value: `${actor.unit.name}（${actor.unit.uscc}）` });
  if (actor.roleTypes.length > 0) rows.push({ id: 'role-types', label: m['procurement.account.roleTypes'], value: actor.roleTypes.map(roleName).join('、') });
  const notes: string[] = [];
  if (!actor.canTransact && profile.unitAccount.note) notes.push(profile.unitAccount.note);
  const menus = permitted.map((menu) => ({ id: menu.id, title: menu.title, items: menu.items.map((i) => ({ id: i.id, title: i.title, href: MENU_PAGES[i.id] && `${base}${MENU_PAGES[i.id] ?? ''}`, actions: i.actions.map((a) => a.title).join(' · ') })) }));
  return {
    welcome: formatMessage(m['procurement.home.welcome'], { name: actor.name }),
    rows,
    notes,
    menus,
    menusNote: actor.isMainAccount ? m['procurement.menus.main'] : m['procurement.menus.assigned'],
    subAccountsHref: subAccountsHref(profile, base, actor),
    caBindingsHref: caBindingsHref(profile, base),
    logoutAction: `${base}/procurement/logout`,
    csrfToken,
    sources: sourceRefs(profile, profile.procurement.source, profile.unitAccount.source, profile.unitAccount.holdsProcurementPermissionsAfterRegistration.source),
  };
}

/** 机构子账号 (AH-6, JL-15): the main account's, where branches under its credit code get sub-accounts. */
export function subAccountsHref(profile: ProvinceProfile, base: string, actor: ProcurementActor): string | undefined {
  return actor.isMainAccount && profile.procurement.subAccounts.enabled && profile.institutions.branchSameUscc === 'main-registers' ? `${base}/procurement/sub-accounts` : undefined;
}

/** 账号管理 → CA绑定 (HN-11, HN-12), where the procurement subsystem takes CA certificates. */
export function caBindingsHref(profile: ProvinceProfile, base: string): string | undefined {
  return profile.caVendors.some((v) => v.procurementBinding) ? `${base}/procurement/ca-bindings` : undefined;
}

export interface ProcurementLoginView {
  /** Absent where nobody logs in here: the page then points to the hall (AH-6, AH-7). */
  form?: { action: string; csrfToken: string; inputs: InputView[]; captcha: { input: InputView; src: string; captchaId: string }; alert?: string | undefined } | undefined;
  throughHall?: { text: string; href: string } | undefined;
  note?: string | undefined;
  /** CA账号登录 (HN-11), for everyone with a bound certificate, local login or not. */
  caLoginHref?: string | undefined;
  /** 用户注册 under the form (HN-10), where distributors register at the subsystem itself. */
  register?: { href: string; lead: string } | undefined;
  sources: SourceRef[];
}

export function procurementLoginView(profile: ProvinceProfile, base: string, state: { csrfToken: string; inputs: InputView[]; captcha?: CaptchaView & { input: InputView }; alert?: string | undefined }, m: Messages): ProcurementLoginView {
  const sources = sourceRefs(profile, profile.urls.procurementLocalLogin?.source, ...profile.institutions.special.map((s) => s.source), offersDistributorRegistration(profile) ? profile.distributors.source : undefined);
  const caLoginHref = profile.caVendors.some((v) => v.procurementBinding) ? `${base}/procurement/ca-login` : undefined;
  if (!state.captcha) {
    const entry = profile.procurement.entryPath.at(-2) ?? m['hall.service.procurement'];
    return { throughHall: { text: formatMessage(m['procurement.login.throughHall'], { entry }), href: `${base}/login` }, caLoginHref, sources };
  }
  return {
    form: { action: `${base}/procurement/login`, csrfToken: state.csrfToken, inputs: state.inputs, captcha: { input: state.captcha.input, src: state.captcha.src, captchaId: state.captcha.captchaId }, alert: state.alert },
    note: profile.urls.procurementLocalLogin?.note,
    caLoginHref,
    register: offersDistributorRegistration(profile) ? { href: `${base}/procurement/register`, lead: profile.distributors.note ?? m['procurement.login.registerLead'] } : undefined,
    sources,
  };
}

export interface SubAccountsView {
  accounts: Array<{ name: string; code: string; loginName: string; contact: string; entered: string }>;
  form?: { action: string; csrfToken: string; inputs: InputView[]; alert?: string | undefined } | undefined;
  created?: string | undefined;
  homeHref: string;
  sources: SourceRef[];
}

export function subAccountsView(profile: ProvinceProfile, base: string, data: { branches: RegistryInstitution[]; accounts: LocalAccountView[] }, state: { csrfToken: string; inputs: InputView[]; alert?: string | undefined; created?: string | undefined }, m: Messages): SubAccountsView {
  const taken = new Set(data.accounts.map((a) => a.institutionCode));
  return {
    accounts: data.accounts.map((a) => ({ name: a.name, code: a.institutionCode, loginName: a.loginName, contact: [a.contactName, a.contactPhone].filter(Boolean).join(' '), entered: a.firstEnteredAt ? a.firstEnteredAt.slice(0, 10) : m['procurement.subAccounts.notYet'] })),
    form: data.branches.some((b) => !taken.has(b.code)) ? { action: `${base}/procurement/sub-accounts`, csrfToken: state.csrfToken, inputs: state.inputs, alert: state.alert } : undefined,
    created: state.created && formatMessage(m['procurement.subAccounts.created'], { loginName: state.created }),
    homeHref: `${base}/procurement/`,
    sources: sourceRefs(profile, profile.procurement.subAccounts.source, profile.institutions.source),
  };
}

/** The branches still without a sub-account, as select options. */
export function branchOptions(data: { branches: RegistryInstitution[]; accounts: LocalAccountView[] }, selected: string): Array<{ value: string; label: string; selected: boolean }> {
  const taken = new Set(data.accounts.map((a) => a.institutionCode));
  return data.branches.filter((b) => !taken.has(b.code)).map((b) => ({ value: b.code, label: `${b.name}（${b.code}）`, selected: b.code === selected }));
}
