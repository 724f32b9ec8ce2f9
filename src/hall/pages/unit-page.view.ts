/**
 * 单位管理 → 单位信息 as a page: the unit's registered details under the profile's labels, or —
 * where the core system lacks them (XZ-9) — the manual's message and that procurement goes on;
 * whether the unit account transacts (JL-8); and, where the province offers it, 注销网厅账号 (JL-8)
 * with the account's password and the typed confirmation.
 */
import { errorSummary, plainInput, type InputState, type InputView } from '#src/identity/pages/form-inputs.js';
import { DEREGISTRATION_CONFIRMATION, type UnitManagementView } from '#src/hall/unit-management.service.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

type Row = { id: string; label: string; value: string };

export interface UnitPageState {
  csrfToken: string;
  values?: Readonly<Record<string, string>> | undefined;
  errors?: Readonly<Record<string, string>> | undefined;
  alert?: string | undefined;
}

export interface UnitPageView {
  lead: string;
  hallHref: string;
  /** A refusal where the page has no form to show it beside (deregistration not offered). */
  alert?: string | undefined;
  /** The registered details, or (XZ-9) the unit as the hall knows it beside the core system's message. */
  rows: Row[];
  coreDataMissing?: { message: string; note: string } | undefined;
  transact: { can: boolean; text: string; note?: string | undefined };
  deregister?:
    | {
        action: string;
        csrfToken: string;
        lead: string;
        keeps: string[];
        inputs: InputView[];
        summary: ReturnType<typeof errorSummary>;
        alert?: string | undefined;
      }
    | undefined;
  sources: SourceRef[];
}

export function unitPagePath(base: string): string {
  return `${base}/hall/unit`;
}

export function unitPageView(profile: ProvinceProfile, base: string, unit: UnitManagementView, state: UnitPageState, m: Messages): UnitPageView {
  const { unitAccount } = profile;
  const rows: Row[] = unit.details
    ? profile.registration.unitFields
        .filter((f) => f.format !== 'password' && unit.details?.[f.id] !== undefined && unit.details[f.id] !== '')
        .map((f) => ({ id: f.id, label: f.label, value: unit.details?.[f.id] ?? '' }))
    : [
        { id: 'unitName', label: m['session.unitName'], value: unit.unit.name },
        { id: 'uscc', label: m['session.uscc'], value: unit.unit.uscc },
        { id: 'unitAccount', label: m['account.unit'], value: unit.unit.account },
      ];
  const inputState: InputState = { values: state.values ?? {}, errors: state.errors ?? {} };
  const inputs = [
    plainInput({ name: 'password', label: m['hallUnit.deregister.password'], type: 'password', required: true, maxLength: 64, autocomplete: 'current-password', hint: formatMessage(m['hallUnit.deregister.passwordHint'], { account: unit.unit.account }) }, inputState),
    plainInput({ name: 'confirmation', label: m['hallUnit.deregister.confirmation'], type: 'text', required: true, maxLength: 20, autocomplete: 'off', hint: formatMessage(m['hallUnit.deregister.confirmationHint'], { words: DEREGISTRATION_CONFIRMATION }) }, inputState),
  ];
  return {
    lead: formatMessage(m['hallUnit.lead'], { unit: unit.unit.name }),
    hallHref: `${base}/hall`,
    alert: unit.canDeregister ? undefined : state.alert,
    rows,
    coreDataMissing: unit.coreDataMissing && { message: unit.coreDataMissing.message, note: unit.coreDataMissing.note ?? m['hallUnit.coreDataMissing.note'] },
    transact: unit.canTransact ? { can: true, text: m['hallUnit.transact.yes'] } : { can: false, text: m['hallUnit.transact.no'], note: unit.notes.canTransact },
    deregister: unit.canDeregister
      ? {
          action: `${unitPagePath(base)}/deregistration`,
          csrfToken: state.csrfToken,
          lead: m['hallUnit.deregister.lead'],
          keeps: [unit.notes.deregistration, m['hallUnit.deregister.operatorsKeep'], m['hallUnit.deregister.signedOut']].filter((note): note is string => Boolean(note)),
          inputs,
          summary: errorSummary(inputState.errors, inputs),
          alert: state.alert,
        }
      : undefined,
    sources: sourceRefs(profile, unitAccount.source, unitAccount.coreDataMissing.enabled ? unitAccount.coreDataMissing.source : undefined, unitAccount.canDeregisterHallAccount.enabled ? unitAccount.canDeregisterHallAccount.source : undefined),
  };
}

export interface DeregisteredView {
  lead: string;
  notes: string[];
  homeHref: string;
  sources: SourceRef[];
}

/** After 注销网厅账号: the session is gone, so the page says what happened and links to the province home. */
export function deregisteredView(profile: ProvinceProfile, base: string, result: { account: string; operatorsUnbound: number }, m: Messages): DeregisteredView {
  const note = profile.unitAccount.canDeregisterHallAccount.note;
  return {
    lead: formatMessage(m['hallUnit.done.lead'], { account: result.account }),
    notes: [note, formatMessage(m['hallUnit.done.operators'], { count: result.operatorsUnbound })].filter((n): n is string => Boolean(n)),
    homeHref: `${base}/`,
    sources: sourceRefs(profile, profile.unitAccount.canDeregisterHallAccount.source),
  };
}
