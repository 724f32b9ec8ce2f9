/**
 * The catalogue import file (`npm run province -- products import <file.csv>`): UTF-8 CSV per
 * RFC 4180 with a header row naming these columns (in any order), one row per catalogue entry:
 *
 *   code,genericName,tradeName,dosageForm,specification,packaging,manufacturer,approvalNumber
 *
 * tradeName and packaging may be empty. Every problem is reported at once as `第 N 行：…`, and the
 * file is refused as a whole when there is any. Pure: no file system, no database.
 */
import { readCsvRecords } from '#src/national-registry/registry-csv.js';
import type { CatalogueEntry } from '#src/procurement/products/demo-catalogue.js';

export const PRODUCT_CSV_COLUMNS = ['code', 'genericName', 'tradeName', 'dosageForm', 'specification', 'packaging', 'manufacturer', 'approvalNumber'] as const;
type Column = (typeof PRODUCT_CSV_COLUMNS)[number];

const LABELS: Readonly<Record<Column, string>> = {
  code: '产品编码',
  genericName: '通用名',
  tradeName: '商品名',
  dosageForm: '剂型',
  specification: '规格',
  packaging: '包装',
  manufacturer: '生产企业',
  approvalNumber: '批准文号',
};
const OPTIONAL: ReadonlySet<Column> = new Set(['tradeName', 'packaging']);
const FIELD_MAX = 200;
const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
/** 国药准字 + one letter (H 化学药, Z 中药, S 生物制品, J 进口分包装, B, T, F) + 8 digits. */
export const APPROVAL_NUMBER = /^国药准字[HZSJBTF]\d{8}$/;

export type ProductCsvResult = { ok: true; entries: CatalogueEntry[] } | { ok: false; errors: string[] };

export function parseProductCsv(input: string | Uint8Array): ProductCsvResult {
  const text = decode(input);
  if (text === undefined) return { ok: false, errors: ['文件不是 UTF-8 编码（GBK 等导出请先另存为 UTF-8）'] };
  const { records, errors } = readCsvRecords(text);
  const [header, ...rows] = records;
  if (!header) return { ok: false, errors: [...errors, '文件是空的：第一行应为表头 ' + PRODUCT_CSV_COLUMNS.join(',')] };
  const columns = new Map<Column, number>();
  header.fields.forEach((name, i) => {
    const column = PRODUCT_CSV_COLUMNS.find((c) => c === name.trim());
    if (!column) errors.push(`第 ${header.line} 行：表头中有未知的列“${name}”`);
    else if (columns.has(column)) errors.push(`第 ${header.line} 行：表头中“${name}”出现了两次`);
    else columns.set(column, i);
  });
  const missing = PRODUCT_CSV_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) errors.push(`第 ${header.line} 行：表头缺少 ${missing.join(', ')}`);
  if (missing.length > 0 || header.broken) return { ok: false, errors: byLine(errors) };

  const entries: CatalogueEntry[] = [];
  const seen = new Map<string, number>();
  for (const record of rows) {
    if (record.broken) continue;
    const problems: string[] = [];
    if (record.fields.length !== header.fields.length) problems.push(`应有 ${header.fields.length} 列，实有 ${record.fields.length} 列`);
    const value = (c: Column) => (record.fields[columns.get(c) ?? -1] ?? '').trim();
    for (const c of PRODUCT_CSV_COLUMNS) {
      const v = value(c);
      if (!v && !OPTIONAL.has(c)) problems.push(`${LABELS[c]}不能为空`);
      else if (v.length > FIELD_MAX) problems.push(`${LABELS[c]}超过 ${FIELD_MAX} 字`);
    }
    const code = value('code');
    if (code && !CODE.test(code)) problems.push(`产品编码“${code}”只能由字母、数字和连字符组成（40 位以内）`);
    const approval = value('approvalNumber');
    if (approval && !APPROVAL_NUMBER.test(approval)) problems.push(`批准文号“${approval}”格式不对，应如 国药准字H20003263`);
    const earlier = seen.get(code);
    if (code && earlier !== undefined) problems.push(`产品编码“${code}”与第 ${earlier} 行重复`);
    else if (code) seen.set(code, record.line);
    if (problems.length > 0) {
      errors.push(`第 ${record.line} 行：${problems.join('；')}`);
      continue;
    }
    entries.push({ code, genericName: value('genericName'), tradeName: value('tradeName'), dosageForm: value('dosageForm'), specification: value('specification'), packaging: value('packaging'), manufacturer: value('manufacturer'), approvalNumber: approval });
  }
  if (errors.length > 0) return { ok: false, errors: byLine(errors) };
  if (entries.length === 0) return { ok: false, errors: ['文件只有表头，没有产品'] };
  return { ok: true, entries };
}

function decode(input: string | Uint8Array): string | undefined {
  if (typeof input === 'string') return input.startsWith('\uFEFF') ? input.slice(1) : input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return undefined;
  }
}

function byLine(errors: string[]): string[] {
  const lineOf = (e: string) => Number(/^第 (\d+) 行/.exec(e)?.[1] ?? 0);
  return [...errors].sort((a, b) => lineOf(a) - lineOf(b));
}
