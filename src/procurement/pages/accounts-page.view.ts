/**
 * 用户基础设置 → 账号管理 (JL-15) as a page: the unit's procurement accounts by login account or
 * name, each row with the buttons the signed-in account's ability allows. Pure: view models only.
 */
import { formatMessage, isMessageKey, type Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { ProcurementActor } from '#src/procurement/procurement-actor.service.js';
import { caBindingsHref, subAccountsHref } from '#src/procurement/pages/procurement-pages.view.js';
import type { RoleAccountView } from '#src/procurement/roles/procurement-roles.service.js';

/** What a row's form did, said after the 303 (`?done=`). */
const DONE_KINDS = ['role', 'disabled', 'enabled'] as const;
export type AccountsDoneKind = (typeof DONE_KINDS)[number];

export function accountsDoneKindOf(value: string): AccountsDoneKind | undefined {
  return DONE_KINDS.find((kind) => kind === value);
}

export function accountsPath(base: string): string {
  return `${base}/procurement/accounts`;
}

export interface AccountsPageState {
  csrfToken: string;
  name: string;
  accounts: RoleAccountView[];
  roles: Array<{ roleId: string; name: string }>;
  /** The buttons of the `accounts` menu this account holds. */
  can: { editRole: boolean; toggle: boolean };
  alert?: string | undefined;
  done?: { kind: AccountsDoneKind; accountId: string } | undefined;
  /** The 停用 confirm step for this account (`?disable=`), with the refusal of a post that skipped it. */
  disable?: { accountId: string; alert?: string | undefined } | undefined;
}

export interface AccountRowView {
  accountId: string;
  login: string;
  name: string;
  kind: string;
  role: string;
  status: string;
  statusId: string;
  self: boolean;
  editRole?: { action: string; label: string; options: Array<{ value: string; label: string; selected: boolean }> } | undefined;
  /** 停用 opens the confirm step; 启用 posts at once. */
  disableHref?: string | undefined;
  enable?: { action: string } | undefined;
}

export interface AccountsPageView {
  csrfToken: string;
  name: string;
  searchAction: string;
  notice?: string | undefined;
  alert?: string | undefined;
  rows: AccountRowView[];
  disable?: { action: string; question: string; alert?: string | undefined; cancelHref: string } | undefined;
  subAccountsHref?: string | undefined;
  caBindingsHref?: string | undefined;
  homeHref: string;
  sources: SourceRef[];
}

function label(m: Messages, key: string, fallback: string): string {
  return isMessageKey(key) ? m[key] : fallback;
}

function who(account: RoleAccountView): string {
  return account.name && account.name !== account.account ? `${account.name}（${account.account}）` : account.account;
}

export function accountsPageView(profile: ProvinceProfile, base: string, actor: ProcurementActor, state: AccountsPageState, m: Messages): AccountsPageView {
  const path = accountsPath(base);
  const find = (id: string | undefined) => state.accounts.find((a) => a.accountId === id);
  const rows = state.accounts.map((a): AccountRowView => {
    const self = a.accountId === actor.accountId;
    const action = (what: string) => `${path}/${a.accountId}/${what}`;
    return {
      accountId: a.accountId,
      login: a.account,
      name: a.name,
      kind: label(m, `procurement.kind.${a.kind}`, a.kind),
      role: a.roleName ?? m['procurement.accounts.noRole'],
      status: label(m, `procurement.accounts.status.${a.status}`, a.status),
      statusId: a.status,
      self,
      // Nobody changes or stops their own account here (the service refuses it too).
      editRole:
        state.can.editRole && !self
          ? {
              action: action('role'),
              label: formatMessage(m['procurement.accounts.roleLabel'], { name: a.name || a.account }),
              options: [{ value: '', label: m['procurement.accounts.noRole'], selected: !a.roleId }, ...state.roles.map((r) => ({ value: r.roleId, label: r.name, selected: r.roleId === a.roleId }))],
            }
          : undefined,
      disableHref: state.can.toggle && !self && a.status === 'active' ? `${path}?disable=${a.accountId}#disable` : undefined,
      enable: state.can.toggle && !self && a.status === 'disabled' ? { action: action('status') } : undefined,
    };
  });
  const doneAccount = find(state.done?.accountId);
  const disabling = state.can.toggle ? find(state.disable?.accountId) : undefined;
  const missing = state.disable !== undefined && !disabling;
  return {
    csrfToken: state.csrfToken,
    name: state.name,
    searchAction: path,
    notice: state.done && formatMessage(m[`procurement.accounts.done.${state.done.kind}`], { who: doneAccount ? who(doneAccount) : '' }),
    alert: missing ? m['procurement.accounts.missing'] : state.alert,
    rows,
    disable: disabling && {
      action: `${path}/${disabling.accountId}/status`,
      question: formatMessage(m['procurement.accounts.disableQuestion'], { who: who(disabling) }),
      alert: state.disable?.alert,
      cancelHref: path,
    },
    subAccountsHref: subAccountsHref(profile, base, actor),
    caBindingsHref: caBindingsHref(profile, base),
    homeHref: `${base}/procurement/`,
    sources: sourceRefs(profile, profile.procurement.source, profile.procurement.subAccounts.source),
  };
}
