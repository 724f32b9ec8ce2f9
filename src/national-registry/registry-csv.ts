/**
 * The registry import file (`npm run province -- registry import <file.csv>`): UTF-8 CSV per
 * RFC 4180 with a header row, one row per credit code or per medical institution under it:
 *
 *   uscc,name,province,roleTypes,institutionCode,institutionName,institutionKind[,note]
 *
 * roleTypes are separated by `|`; rows repeating a credit code add institutions to its entry.
 * Every problem is reported at once as `第 N 行：…` (N = the line the record starts on), and the
 * file is refused as a whole when there is any. Pure: no file system, no database.
 */
import { isValidUscc, USCC_ALPHABET, usccCheckCharacter } from '#src/identity/checks/uscc.js';
import { INSTITUTION_KINDS, type InstitutionKind, type RegistryEntry } from '#src/national-registry/national-registry.port.js';

export const REGISTRY_CSV_COLUMNS = ['uscc', 'name', 'province', 'roleTypes', 'institutionCode', 'institutionName', 'institutionKind'] as const;
/** May be left out of the header; shown by the dev listing. */
export const REGISTRY_CSV_OPTIONAL_COLUMNS = ['note'] as const;
type Column = (typeof REGISTRY_CSV_COLUMNS)[number] | (typeof REGISTRY_CSV_OPTIONAL_COLUMNS)[number];

const COLUMN_LABELS: Readonly<Record<Column, string>> = {
  uscc: '统一社会信用代码',
  name: '单位名称',
  province: '省份',
  roleTypes: '角色类型',
  institutionCode: '医疗机构代码',
  institutionName: '医疗机构名称',
  institutionKind: '医疗机构类别',
  note: '备注',
};

export const INSTITUTION_KIND_LABELS: Readonly<Record<InstitutionKind, string>> = {
  general: '普通',
  main: '总院',
  branch: '分院',
  military: '军队',
  veterans: '荣军',
  prison: '监狱',
};

/** A medical-institution code of the national platform: H, the six-digit region, five digits. */
const INSTITUTION_CODE = /^H\d{11}$/;
const MEDICAL_INSTITUTION = 'medical-institution';

export interface RegistryCsvContext {
  /** Province ids and GB/T 2260 codes, each mapped to the province id. */
  provinces: ReadonlyMap<string, string>;
  /** Role type ids a registry entry may name. */
  roleTypes: readonly string[];
}

/** The context from the loaded profiles: their ids and codes, and every role type any of them defines. */
export function registryCsvContext(profiles: ReadonlyArray<{ id: string; code: string; roleTypes: ReadonlyArray<{ id: string }> }>): RegistryCsvContext {
  const provinces = new Map<string, string>();
  for (const profile of profiles) {
    provinces.set(profile.id, profile.id);
    provinces.set(profile.code, profile.id);
  }
  const roleTypes = [...new Set(profiles.flatMap((profile) => profile.roleTypes.map((roleType) => roleType.id)))];
  return { provinces, roleTypes };
}

export type RegistryCsvResult = { ok: true; entries: RegistryEntry[]; institutions: number } | { ok: false; errors: string[] };

/** Parses and checks the whole file; entries come out in file order, institutions in row order. */
export function parseRegistryCsv(input: string | Uint8Array, context: RegistryCsvContext): RegistryCsvResult {
  const text = decode(input);
  if (text === undefined) return { ok: false, errors: ['文件不是有效的 UTF-8 编码（从 Excel 导出时请选择“CSV UTF-8（逗号分隔）”）'] };
  const { records, errors } = readCsvRecords(text);
  const [header, ...rows] = records;
  if (!header) return { ok: false, errors: [...errors, `文件为空：第 1 行应为表头 ${REGISTRY_CSV_COLUMNS.join(',')}`] };
  const columns = readHeader(header, errors);
  if (!columns) return { ok: false, errors };

  const entries = new Map<string, { entry: RegistryEntry; line: number }>();
  const institutionLines = new Map<string, number>();
  let institutions = 0;
  for (const record of rows) {
    if (record.broken) continue; // its syntax error is already listed
    const problems: string[] = [];
    const row = readRow(record, columns, context, problems);
    const at = (message: string) => errors.push(`第 ${record.line} 行：${message}`);
    if (!row) {
      problems.forEach(at);
      continue;
    }
    const seen = entries.get(row.uscc);
    if (seen) {
      const { entry, line } = seen;
      if (entry.name !== row.name) problems.push(`信用代码 ${row.uscc} 的单位名称“${row.name}”与第 ${line} 行的“${entry.name}”不一致`);
      if (entry.provinceId !== row.provinceId) problems.push(`信用代码 ${row.uscc} 的省份“${row.provinceId}”与第 ${line} 行的“${entry.provinceId}”不一致`);
      if (!sameSet(entry.roleTypes, row.roleTypes)) problems.push(`信用代码 ${row.uscc} 的角色类型“${row.roleTypes.join('|')}”与第 ${line} 行的“${entry.roleTypes.join('|')}”不一致`);
      if (row.note !== undefined && entry.note !== undefined && row.note !== entry.note) problems.push(`信用代码 ${row.uscc} 的备注与第 ${line} 行不一致`);
    }
    if (row.institution) {
      const earlier = institutionLines.get(row.institution.code);
      if (earlier !== undefined) problems.push(`医疗机构代码 ${row.institution.code} 已在第 ${earlier} 行出现`);
    }
    if (problems.length > 0) {
      problems.forEach(at);
      continue;
    }
    const entry = seen?.entry ?? { uscc: row.uscc, name: row.name, provinceId: row.provinceId, roleTypes: row.roleTypes, institutions: [] };
    if (!seen) entries.set(row.uscc, { entry, line: record.line });
    if (row.note !== undefined) entry.note ??= row.note;
    if (row.institution) {
      institutionLines.set(row.institution.code, record.line);
      entry.institutions.push(row.institution);
      institutions += 1;
    }
  }
  if (errors.length > 0) return { ok: false, errors: byLine(errors) };
  if (entries.size === 0) return { ok: false, errors: ['文件只有表头，没有数据行'] };
  return { ok: true, entries: [...entries.values()].map(({ entry }) => entry), institutions };
}

function decode(input: string | Uint8Array): string | undefined {
  if (typeof input === 'string') return input.startsWith('\uFEFF') ? input.slice(1) : input;
  try {
    // Drops a leading BOM (ignoreBOM false), refuses bytes that are not UTF-8 (GBK exports).
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return undefined;
  }
}

export interface CsvRecord {
  /** The line the record starts on (1-based); a quoted field may carry it over several lines. */
  line: number;
  fields: string[];
  /** A syntax error was reported for it: its fields are not to be trusted. */
  broken: boolean;
}

/**
 * RFC 4180: fields separated by commas, records by CRLF or LF (a lone CR too); a field in double
 * quotes may hold commas, line breaks and doubled quotes. Lines with nothing on them are skipped.
 */
export function readCsvRecords(text: string): { records: CsvRecord[]; errors: string[] } {
  const records: CsvRecord[] = [];
  const errors: string[] = [];
  let line = 1;
  let record: CsvRecord = { line, fields: [], broken: false };
  let field = '';
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  const fail = (message: string) => {
    if (!record.broken) errors.push(`第 ${record.line} 行：${message}`);
    record.broken = true;
  };
  const endRecord = () => {
    record.fields.push(field);
    const blank = record.fields.length === 1 && field === '' && state !== 'closed';
    if (!blank) records.push(record);
    field = '';
    state = 'start';
    record = { line, fields: [], broken: false };
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const newline = c === '\n' || c === '\r';
    if (newline && c === '\r' && text.charAt(i + 1) === '\n') i++;
    if (state === 'quoted') {
      if (c === '"') {
        if (text.charAt(i + 1) === '"') {
          field += '"';
          i++;
        } else state = 'closed';
      } else if (newline) {
        field += '\n';
        line++;
      } else field += c;
      continue;
    }
    if (c === ',') {
      record.fields.push(field);
      field = '';
      state = 'start';
    } else if (newline) {
      line++;
      endRecord();
    } else if (c === '"' && state === 'start') {
      state = 'quoted';
    } else if (state === 'closed') {
      fail(`引号结束后、逗号之前不能再有字符（“${c}”）；字段内的引号要写成两个引号 ""`);
    } else {
      if (c === '"') fail('含引号的字段须整个用引号括起，字段内的引号写成两个引号 ""');
      field += c;
      state = 'plain';
    }
  }
  if (state === 'quoted') fail('引号没有闭合');
  if (state !== 'start' || record.fields.length > 0) endRecord();
  return { records, errors };
}

type Columns = ReadonlyMap<Column, number>;

function readHeader(header: CsvRecord, errors: string[]): Columns | undefined {
  if (header.broken) return undefined;
  const known: readonly string[] = [...REGISTRY_CSV_COLUMNS, ...REGISTRY_CSV_OPTIONAL_COLUMNS];
  const columns = new Map<Column, number>();
  const problems: string[] = [];
  header.fields.forEach((raw, index) => {
    const name = raw.trim();
    if (!known.includes(name)) problems.push(`未知的列“${name}”（表头应为 ${REGISTRY_CSV_COLUMNS.join(',')}，可加 note 列）`);
    else if (columns.has(name as Column)) problems.push(`列“${name}”出现了两次`);
    else columns.set(name as Column, index);
  });
  for (const name of REGISTRY_CSV_COLUMNS) {
    if (!columns.has(name)) problems.push(`表头缺少列“${name}”（${COLUMN_LABELS[name]}）`);
  }
  errors.push(...problems.map((p) => `第 ${header.line} 行：${p}`));
  return problems.length > 0 ? undefined : columns;
}

interface CheckedRow {
  uscc: string;
  name: string;
  provinceId: string;
  roleTypes: string[];
  note?: string | undefined;
  institution?: { code: string; name: string; kind: InstitutionKind } | undefined;
}

function readRow(record: CsvRecord, columns: Columns, context: RegistryCsvContext, problems: string[]): CheckedRow | undefined {
  if (record.fields.length !== columns.size) {
    problems.push(`有 ${record.fields.length} 列，表头有 ${columns.size} 列（含逗号的值须用双引号括起）`);
    return undefined;
  }
  const value = (column: Column): string => {
    const index = columns.get(column);
    return index === undefined ? '' : (record.fields[index] ?? '').trim();
  };
  const required = (column: Column): string => {
    const found = value(column);
    if (found === '') problems.push(`缺少${COLUMN_LABELS[column]}（${column}）`);
    return found;
  };

  const uscc = required('uscc').toUpperCase();
  if (uscc !== '') {
    const problem = usccProblem(uscc);
    if (problem) problems.push(problem);
  }
  const name = required('name');
  const provinceText = required('province');
  const provinceId = context.provinces.get(provinceText);
  if (provinceText !== '' && !provinceId) {
    problems.push(`未知的省份“${provinceText}”（可用：${[...new Set(context.provinces.values())].join('、')}）`);
  }
  const roleTypes = [
    ...new Set(
      required('roleTypes')
        .split('|')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  for (const roleType of roleTypes) {
    if (!context.roleTypes.includes(roleType)) problems.push(`未知的角色类型“${roleType}”（可用：${context.roleTypes.join('、')}，多个用 | 分隔）`);
  }

  let institution: CheckedRow['institution'];
  const institutionColumns = ['institutionCode', 'institutionName', 'institutionKind'] as const;
  if (institutionColumns.some((column) => value(column) !== '')) {
    const code = required('institutionCode').toUpperCase();
    const institutionName = required('institutionName');
    const kind = required('institutionKind');
    if (code !== '' && !INSTITUTION_CODE.test(code)) problems.push(`医疗机构代码“${code}”格式有误：应为 H 加 11 位数字（例如 H22010400001）`);
    if (kind !== '' && !(INSTITUTION_KINDS as readonly string[]).includes(kind)) {
      problems.push(`未知的医疗机构类别“${kind}”（可用：${INSTITUTION_KINDS.map((k) => `${k}（${INSTITUTION_KIND_LABELS[k]}）`).join('、')}）`);
    }
    if (roleTypes.length > 0 && !roleTypes.includes(MEDICAL_INSTITUTION)) problems.push(`列出了医疗机构，但角色类型不含 ${MEDICAL_INSTITUTION}`);
    institution = { code, name: institutionName, kind: kind as InstitutionKind };
  }
  if (problems.length > 0 || !provinceId) return undefined;
  const note = value('note');
  return { uscc, name, provinceId, roleTypes, note: note === '' ? undefined : note, institution };
}

/** Why a credit code is not a GB 32100-2015 one, in words a maintainer can act on; undefined when it is. */
export function usccProblem(uscc: string): string | undefined {
  if (uscc.length !== 18) return `统一社会信用代码“${uscc}”应为 18 位，实为 ${uscc.length} 位`;
  const stranger = [...uscc].find((c) => !USCC_ALPHABET.includes(c));
  if (stranger) return `统一社会信用代码“${uscc}”含有不允许的字符“${stranger}”（只用数字和大写字母，不用 I、O、Z、S、V）`;
  if (!isValidUscc(uscc)) return `统一社会信用代码“${uscc}”校验位错误：按 GB 32100-2015 第 18 位应为“${usccCheckCharacter(uscc.slice(0, 17)) ?? '?'}”`;
  return undefined;
}

/** Syntax errors are found before row errors; the maintainer reads them top to bottom. Stable. */
function byLine(errors: string[]): string[] {
  const lineOf = (error: string) => Number(/^第 (\d+) 行/.exec(error)?.[1] ?? 0);
  return errors.map((error, index) => ({ error, index, line: lineOf(error) })).sort((a, b) => a.line - b.line || a.index - b.index).map(({ error }) => error);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
