/**
 * The administrators' audit filter as typed: in the API (times in ISO 8601 with a zone) or in the
 * page's form (times as `datetime-local`, read as Beijing time, the only time the manuals know).
 * Pure, so its edge cases are tested on their own; every problem is reported at once, by field.
 */
import { administrationException, AdministrationErrorCode } from '#src/administration/administration.exception.js';
import { isUuid } from '#src/identity/accounts.repository.js';
import { isStorableText } from '#src/identity/request-body.js';

export const AUDIT_PAGE_SIZE = 50;
const MAX_LIMIT = 200;
const MAX_TEXT = 64;

export interface AuditQueryInput {
  unit?: unknown;
  actor?: unknown;
  kind?: unknown;
  outcome?: unknown;
  from?: unknown;
  to?: unknown;
  cursor?: unknown;
  limit?: unknown;
}

export interface AuditCursor {
  /** The row's `at` as ISO 8601 with microseconds (UTC), exactly as PostgreSQL holds it. */
  at: string;
  id: string;
}

export interface AuditQuery {
  /** A unit id, or a credit code (resolved to this province's unit). */
  unit?: { id: string } | { uscc: string } | undefined;
  /** An actor id, or an account name (unit account, operator mobile, administrator account). */
  actor?: { id: string } | { account: string } | undefined;
  /** `operator.` matches every operator event, `login.failed` exactly that one (and its dotted children). */
  kindPrefix?: string | undefined;
  outcome?: 'success' | 'failure' | undefined;
  from?: Date | undefined;
  /** Inclusive. */
  to?: Date | undefined;
  cursor?: AuditCursor | undefined;
  limit: number;
}

export type TimeInput = 'iso' | 'beijing-local';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const KIND_PREFIX = /^[a-z0-9][a-z0-9.-]*$/;
const USCC_LIKE = /^[0-9A-Z]{18}$/;
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BEIJING = '+08:00';

/** One query parameter: a parameter given twice counts once; absent or blank is undefined. */
function value(input: unknown): string | undefined {
  const first: unknown = Array.isArray(input) ? (input as unknown[])[0] : input;
  const text = typeof first === 'string' ? first.trim() : '';
  return text === '' ? undefined : text;
}

export function parseAuditQuery(input: AuditQueryInput, times: TimeInput): AuditQuery {
  const fields: Record<string, string> = {};
  const text = (name: keyof AuditQueryInput, raw: unknown): string | undefined => {
    const v = value(raw);
    if (v !== undefined && (v.length > MAX_TEXT || !isStorableText(v))) {
      fields[name] = `不能超过 ${MAX_TEXT} 个字符，且不能含有无法识别的字符`;
      return undefined;
    }
    return v;
  };
  const query: AuditQuery = { limit: AUDIT_PAGE_SIZE };

  const unit = text('unit', input.unit);
  if (unit !== undefined) {
    if (isUuid(unit)) query.unit = { id: unit.toLowerCase() };
    else if (USCC_LIKE.test(unit.toUpperCase())) query.unit = { uscc: unit.toUpperCase() };
    else fields.unit = '请输入单位的 18 位统一社会信用代码或单位编号';
  }
  const actor = text('actor', input.actor);
  if (actor !== undefined) query.actor = isUuid(actor) ? { id: actor.toLowerCase() } : { account: actor };
  const kind = text('kind', input.kind);
  if (kind !== undefined) {
    if (KIND_PREFIX.test(kind.toLowerCase())) query.kindPrefix = kind.toLowerCase();
    else fields.kind = '事件类型只能由小写字母、数字、点和连字符组成，如 operator. 或 login.failed';
  }
  const outcome = value(input.outcome);
  if (outcome === 'success' || outcome === 'failure') query.outcome = outcome;
  else if (outcome !== undefined) fields.outcome = '结果只能为 success 或 failure';

  query.from = time('from', value(input.from), times, false, fields);
  query.to = time('to', value(input.to), times, true, fields);
  if (query.from && query.to && query.to < query.from) fields.to = '结束时间不能早于开始时间';

  const cursor = value(input.cursor);
  if (cursor !== undefined) {
    query.cursor = decodeCursor(cursor);
    if (!query.cursor) fields.cursor = '翻页参数无效，请从第一页重新查询';
  }
  const limit = value(input.limit);
  if (limit !== undefined) {
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (n >= 1 && n <= MAX_LIMIT) query.limit = n;
    else fields.limit = `每页条数须为 1-${MAX_LIMIT}`;
  }
  if (Object.keys(fields).length > 0) throw administrationException(AdministrationErrorCode.FILTER_INVALID, undefined, fields);
  return query;
}

function time(name: 'from' | 'to', raw: string | undefined, times: TimeInput, end: boolean, fields: Record<string, string>): Date | undefined {
  if (raw === undefined) return undefined;
  let parsed: Date | undefined;
  if (times === 'iso' && ISO_WITH_ZONE.test(raw)) parsed = new Date(raw);
  if (times === 'beijing-local' && LOCAL_MINUTE.test(raw)) {
    const withSeconds = raw.length === 16 ? `${raw}:00` : raw;
    parsed = new Date(`${withSeconds}${BEIJING}`);
    // The form names a minute (or second): "to 10:00" takes in the whole of it.
    if (parsed && end) parsed = new Date(parsed.getTime() + (raw.length === 16 ? 60_000 : 1000) - 1);
  }
  if (!parsed || Number.isNaN(parsed.getTime()) || !sameCalendar(raw, parsed, times)) {
    fields[name] = times === 'iso' ? '时间须为带时区的 ISO 8601 格式，如 2025-11-30T08:00:00+08:00' : '请按“年-月-日 时:分”填写北京时间';
    return undefined;
  }
  return parsed;
}

/** `2025-02-30` is not a day; Date would quietly roll it into March. */
function sameCalendar(raw: string, parsed: Date, times: TimeInput): boolean {
  const offsetMinutes = times === 'beijing-local' ? 480 : offsetOf(raw);
  const local = new Date(parsed.getTime() + offsetMinutes * 60_000).toISOString();
  return local.slice(0, 10) === raw.slice(0, 10);
}

function offsetOf(iso: string): number {
  if (iso.endsWith('Z')) return 0;
  const match = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): AuditCursor | undefined {
  if (!/^[\w-]{1,80}$/.test(text)) return undefined;
  const [at, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || !id || !CURSOR_AT.test(at) || !/^\d{1,18}$/.test(id)) return undefined;
  // Shaped right is not enough: `2025-13-45T…` would fail the query's cast instead of this check.
  const parsed = new Date(at);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 19) !== at.slice(0, 19)) return undefined;
  return { at, id };
}

/** The filter as the API takes it (ISO times): for the page's CSV link and its next-page link. */
export function auditQueryParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.unit) params.set('unit', 'id' in query.unit ? query.unit.id : query.unit.uscc);
  if (query.actor) params.set('actor', 'id' in query.actor ? query.actor.id : query.actor.account);
  if (query.kindPrefix) params.set('kind', query.kindPrefix);
  if (query.outcome) params.set('outcome', query.outcome);
  if (query.from) params.set('from', beijingIso(query.from));
  if (query.to) params.set('to', beijingIso(query.to));
  return params;
}

/** ISO 8601 in Beijing time with its offset, to the millisecond: `2025-11-30T08:00:00.000+08:00`. */
export function beijingIso(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('Z', BEIJING);
}

/** `2025-11-30 08:00:00`, Beijing time: how the pages and the CSV show a moment. */
export function beijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The `datetime-local` value of a moment in Beijing time, for refilling the form. */
export function beijingLocalInput(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}
