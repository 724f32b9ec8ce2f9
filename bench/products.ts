/**
 * 挂网产品对码 (JL-16) catalogue search on 100,000 rows: ProductsRepository.search (GIN over
 * character bigrams, product-grams.ts) against the same queries as a plain ILIKE scan, p50/p99 per
 * kind of query. Embedded PGlite by default; BENCH_DATABASE_URL for PostgreSQL (the table is
 * emptied and refilled there: use a scratch database).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CatalogueEntry } from '#src/procurement/products/demo-catalogue.js';
import { ProductsRepository, upsertParams, type CatalogueQuery } from '#src/procurement/products/products.repository.js';
import { openMigratedDatabase } from '#test/support/migrated-database.js';
import { fmt, formatTable, type BenchReport } from './bench-kit.js';

const ROWS = 100_000;
const BATCH = 250;
const SAMPLES_PER_KIND = 60;

const STEMS = ['阿莫西林', '头孢克肟', '头孢呋辛', '左氧氟沙星', '阿奇霉素', '布洛芬', '对乙酰氨基酚', '氨氯地平', '硝苯地平', '缬沙坦', '厄贝沙坦', '阿托伐他汀', '瑞舒伐他汀', '二甲双胍', '阿卡波糖', '格列美脲', '奥美拉唑', '雷贝拉唑', '氯雷他定', '孟鲁司特', '氨溴索', '氯吡格雷', '阿司匹林', '恩替卡韦', '替格瑞洛', '甲硝唑', '克拉霉素', '罗红霉素', '舍曲林', '帕罗西汀', '奥氮平', '利培酮', '卡托普利', '依那普利', '美托洛尔', '比索洛尔', '螺内酯', '呋塞米', '氢氯噻嗪', '地塞米松'];
const FORMS: Array<[suffix: string, form: string]> = [['片', '片剂'], ['胶囊', '胶囊剂'], ['分散片', '片剂'], ['缓释片', '片剂'], ['注射液', '注射剂'], ['颗粒', '颗粒剂'], ['口服溶液', '口服溶液剂']];
const SPECS = ['5mg', '10mg', '20mg', '50mg', '0.1g', '0.25g', '0.5g', '1.0g', '2ml:10mg', '100ml:0.6g'];
const CITY = '京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新';
const WORD = '华康泰瑞恒丰德仁和安宏信达源民生元正天力海普利健';

function row(i: number): CatalogueEntry {
  const stem = STEMS[i % STEMS.length] ?? '';
  const [suffix, form] = FORMS[Math.floor(i / STEMS.length) % FORMS.length] ?? ['片', '片剂'];
  const m = i % 997;
  const manufacturer = `${CITY.charAt(m % CITY.length)}${WORD.charAt(m % WORD.length)}${WORD.charAt((m * 7) % WORD.length)}制药有限公司`;
  return {
    code: `BENCH${String(i).padStart(8, '0')}`,
    genericName: `${stem}${suffix}`,
    tradeName: i % 3 === 0 ? '' : `${WORD.charAt(i % WORD.length)}${WORD.charAt((i * 3) % WORD.length)}`,
    dosageForm: form,
    specification: SPECS[i % SPECS.length] ?? '',
    packaging: `${String(6 + (i % 5) * 6)}片/盒`,
    manufacturer,
    approvalNumber: `国药准字H2${String(i).padStart(7, '0')}`,
  };
}

async function fill(db: DataSource): Promise<number> {
  await db.query(`UPDATE listed_products SET national_product_id = NULL`);
  await db.query(`DELETE FROM national_products WHERE code LIKE 'BENCH%'`);
  const start = performance.now();
  for (let from = 0; from < ROWS; from += BATCH) {
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = from; i < Math.min(ROWS, from + BATCH); i++) {
      const p = upsertParams(row(i), 'bench', new Date());
      p[0] = randomUUID();
      values.push(`(${p.map((_, k) => `$${String(params.length + k + 1)}`).join(', ')})`);
      params.push(...p);
    }
    await db.query(`INSERT INTO national_products (id, code, generic_name, trade_name, dosage_form, specification, packaging, manufacturer, approval_number, search_text, search_grams, source, updated_at) VALUES ${values.join(', ')}`, params);
  }
  await db.query('ANALYZE national_products');
  return performance.now() - start;
}

const KINDS: Array<[label: string, make: (n: number) => CatalogueQuery, ilike: (n: number) => [string, string]]> = [
  ['通用名 (2–4 字)', (n) => ({ name: (STEMS[n % STEMS.length] ?? '').slice(0, 2 + (n % 3)) }), (n) => ['generic_name', (STEMS[n % STEMS.length] ?? '').slice(0, 2 + (n % 3))]],
  ['批准文号 (exact)', (n) => ({ approvalNumber: row((n * 7919) % ROWS).approvalNumber }), (n) => ['approval_number', row((n * 7919) % ROWS).approvalNumber]],
  ['生产企业', (n) => ({ manufacturer: row(n * 13).manufacturer.slice(0, 3) }), (n) => ['manufacturer', row(n * 13).manufacturer.slice(0, 3)]],
  ['名称 + 剂型 + 规格', (n) => ({ name: STEMS[n % STEMS.length] ?? '', dosageForm: '胶囊', specification: '0.25g' }), (n) => ['generic_name', STEMS[n % STEMS.length] ?? '']],
  ['关键字 (any field)', (n) => ({ keyword: `${(STEMS[n % STEMS.length] ?? '').slice(0, 2)}` }), (n) => ['search_text', (STEMS[n % STEMS.length] ?? '').slice(0, 2)]],
];

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export async function run(): Promise<BenchReport> {
  const url = process.env.BENCH_DATABASE_URL;
  const database = await openMigratedDatabase(url);
  try {
    const db = database.dataSource;
    const fillMs = await fill(db);
    const repo = new ProductsRepository(db);
    const rows: string[][] = [];
    const data: Record<string, unknown> = { database: url ? 'postgresql' : 'pglite', rows: ROWS, fillMs };
    for (const [label, make, ilike] of KINDS) {
      for (let n = 0; n < 5; n++) await repo.search(make(n), 1, 20);
      const indexed: number[] = [];
      const scan: number[] = [];
      for (let n = 0; n < SAMPLES_PER_KIND; n++) {
        indexed.push(await time(() => repo.search(make(n), 1, 20)));
        const [column, term] = ilike(n);
        scan.push(await time(() => db.query(`SELECT count(*) FROM national_products WHERE ${column} ILIKE $1`, [`%${term}%`]).then(() => db.query(`SELECT id FROM national_products WHERE ${column} ILIKE $1 ORDER BY code LIMIT 20`, [`%${term}%`]))));
      }
      rows.push([label, fmt(pct(indexed, 0.5)), fmt(pct(indexed, 0.99)), fmt(pct(scan, 0.5)), fmt(pct(scan, 0.99))]);
      data[label] = { bigramP50Ms: pct(indexed, 0.5), bigramP99Ms: pct(indexed, 0.99), ilikeScanP50Ms: pct(scan, 0.5), ilikeScanP99Ms: pct(scan, 0.99), samples: SAMPLES_PER_KIND };
    }
    const table = `${url ? 'PostgreSQL' : 'PGlite'}, ${String(ROWS)} catalogue rows (filled in ${fmt(fillMs / 1000, 1)} s), page of 20 with total count, ms\n${formatTable(['query', 'bigram GIN p50', 'p99', 'ILIKE scan p50', 'p99'], rows)}`;
    return { name: 'products', table, data };
  } finally {
    await database.close();
  }
}
