import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUuid } from '#src/identity/accounts.repository.js';
import { DEMO_CATALOGUE, searchableFields, type CatalogueEntry } from '#src/procurement/products/demo-catalogue.js';
import { indexGrams, normaliseSearchText, queryGrams } from '#src/procurement/products/product-grams.js';
import { queryRows, type Queryable } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export interface NationalProduct extends CatalogueEntry {
  id: string;
}

export interface ListedProduct {
  id: string;
  listingCode: string;
  genericName: string;
  tradeName: string;
  dosageForm: string;
  specification: string;
  packaging: string;
  manufacturer: string;
  approvalNumber: string;
  matched?: { nationalProductId: string; code: string; genericName: string; approvalNumber: string; matchedAt: Date } | undefined;
}

/** Catalogue search: `keyword` looks in every searchable field, the others in their own. */
export interface CatalogueQuery {
  keyword?: string | undefined;
  name?: string | undefined;
  dosageForm?: string | undefined;
  specification?: string | undefined;
  manufacturer?: string | undefined;
  approvalNumber?: string | undefined;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const CATALOGUE_COLUMNS = 'n.id, n.code, n.generic_name, n.trade_name, n.dosage_form, n.specification, n.packaging, n.manufacturer, n.approval_number';

interface NationalRow {
  id: string;
  code: string;
  generic_name: string;
  trade_name: string;
  dosage_form: string;
  specification: string;
  packaging: string;
  manufacturer: string;
  approval_number: string;
}

interface ListedRow extends NationalRow {
  listing_code: string;
  national_product_id: string | null;
  matched_code: string | null;
  matched_name: string | null;
  matched_approval: string | null;
  matched_at: Date | string | null;
}

/** The SQL text a field filter rechecks after the gram index narrowed the rows. */
const FIELD_TEXT: Record<Exclude<keyof CatalogueQuery, 'keyword'>, string> = {
  name: `lower(n.generic_name || '\u0001' || n.trade_name)`,
  dosageForm: 'lower(n.dosage_form)',
  specification: 'lower(n.specification)',
  manufacturer: 'lower(n.manufacturer)',
  approvalNumber: 'lower(n.approval_number)',
};

/**
 * 挂网产品对码 (JL-16): the national catalogue (not per province) and each unit's listed products,
 * whose every query takes the province and the unit (list queries: the ability's scope as SQL).
 */
@Injectable()
export class ProductsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async search(query: CatalogueQuery, page: number, pageSize: number): Promise<Page<NationalProduct>> {
    const grams = new Set<string>();
    const where: string[] = [];
    const params: unknown[] = [];
    const recheck = (sqlText: string, term: string) => {
      params.push(`%${escapeLike(normaliseSearchText(term))}%`);
      where.push(`replace(${sqlText}, ' ', '') LIKE $${String(params.length)}`);
    };
    for (const [key, value] of Object.entries(query) as Array<[keyof CatalogueQuery, string | undefined]>) {
      if (!value || !normaliseSearchText(value)) continue;
      for (const g of queryGrams(value)) grams.add(g);
      recheck(key === 'keyword' ? 'n.search_text' : FIELD_TEXT[key], value);
    }
    if (grams.size > 0) {
      params.push([...grams]);
      where.unshift(`n.search_grams @> $${String(params.length)}::text[]`);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [counted] = await queryRows<{ total: string }>(this.db, `SELECT count(*) AS total FROM national_products n ${filter}`, params);
    const rows = await queryRows<NationalRow>(
      this.db,
      `SELECT ${CATALOGUE_COLUMNS} FROM national_products n ${filter} ORDER BY n.code LIMIT ${String(pageSize)} OFFSET ${String((page - 1) * pageSize)}`,
      params,
    );
    return { items: rows.map(toNational), total: Number(counted?.total ?? 0), page, pageSize };
  }

  async nationalById(id: string): Promise<NationalProduct | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await queryRows<NationalRow>(this.db, `SELECT ${CATALOGUE_COLUMNS} FROM national_products n WHERE n.id = $1`, [id]);
    return rows[0] && toNational(rows[0]);
  }

  /** Adds or replaces catalogue entries by code, all in one transaction; answers how many were new. */
  async importCatalogue(entries: readonly CatalogueEntry[], source: string, at: Date): Promise<{ added: number; updated: number }> {
    return this.db.transaction(async (manager) => {
      let added = 0;
      for (const e of entries) {
        const rows = await queryRows<{ inserted: boolean }>(manager, UPSERT, upsertParams(e, source, at));
        if (rows[0]?.inserted) added++;
      }
      return { added, updated: entries.length - added };
    });
  }

  async listed(scope: { sql: string; params: unknown[] }, name: string, matched: boolean | undefined, page: number, pageSize: number): Promise<Page<ListedProduct>> {
    const params = [...scope.params];
    const where = [scope.sql];
    if (name) {
      params.push(`%${escapeLike(name)}%`);
      where.push(`(l.generic_name ILIKE $${String(params.length)} OR l.trade_name ILIKE $${String(params.length)} OR l.listing_code ILIKE $${String(params.length)})`);
    }
    if (matched !== undefined) where.push(matched ? 'l.national_product_id IS NOT NULL' : 'l.national_product_id IS NULL');
    const filter = `WHERE ${where.join(' AND ')}`;
    const [counted] = await queryRows<{ total: string }>(this.db, `SELECT count(*) AS total FROM listed_products l ${filter}`, params);
    const rows = await queryRows<ListedRow>(this.db, `${LISTED_SELECT} ${filter} ORDER BY l.listing_code LIMIT ${String(pageSize)} OFFSET ${String((page - 1) * pageSize)}`, params);
    return { items: rows.map(toListed), total: Number(counted?.total ?? 0), page, pageSize };
  }

  async listedById(provinceId: ProvinceId, unitId: string, id: string, q: Queryable = this.db): Promise<ListedProduct | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await queryRows<ListedRow>(q, `${LISTED_SELECT} WHERE l.province_id = $1 AND l.unit_id = $2 AND l.id = $3`, [provinceId, unitId, id]);
    return rows[0] && toListed(rows[0]);
  }

  async hasListed(provinceId: ProvinceId, unitId: string): Promise<boolean> {
    const rows = await queryRows(this.db, `SELECT 1 FROM listed_products WHERE province_id = $1 AND unit_id = $2 LIMIT 1`, [provinceId, unitId]);
    return rows.length > 0;
  }

  /** Adds a listed product of a unit (tests, demo listings); an existing listing code is kept as it is. */
  async addListed(provinceId: ProvinceId, unitId: string, product: Omit<ListedProduct, 'id' | 'matched'>, at: Date): Promise<string | undefined> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `INSERT INTO listed_products (id, province_id, unit_id, listing_code, generic_name, trade_name, dosage_form, specification, packaging, manufacturer, approval_number, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (province_id, unit_id, listing_code) DO NOTHING RETURNING id`,
      [randomUUID(), provinceId, unitId, product.listingCode, product.genericName, product.tradeName, product.dosageForm, product.specification, product.packaging, product.manufacturer, product.approvalNumber, at],
    );
    return rows[0]?.id;
  }

  /**
   * Matches a listed product that is not matched yet (NM-6: of two concurrent matches one changes
   * the row, the other finds it matched). 'matched', 'already' (to this very entry), 'taken'
   * (to another), 'missing'.
   */
  async match(provinceId: ProvinceId, unitId: string, id: string, nationalProductId: string, by: string, at: Date): Promise<'matched' | 'already' | 'taken' | 'missing'> {
    if (!isUuid(id)) return 'missing';
    const rows = await queryRows(
      this.db,
      `UPDATE listed_products SET national_product_id = $4, matched_by = $5, matched_at = $6
        WHERE province_id = $1 AND unit_id = $2 AND id = $3 AND national_product_id IS NULL RETURNING id`,
      [provinceId, unitId, id, nationalProductId, by, at],
    );
    if (rows.length === 1) return 'matched';
    const now = await this.listedById(provinceId, unitId, id);
    if (!now) return 'missing';
    return now.matched?.nationalProductId === nationalProductId ? 'already' : 'taken';
  }

  /** Unmatches; answers the catalogue entry it was matched to, 'not-matched' or 'missing'. */
  async unmatch(provinceId: ProvinceId, unitId: string, id: string): Promise<{ was: string } | 'not-matched' | 'missing'> {
    if (!isUuid(id)) return 'missing';
    const rows = await queryRows<{ was: string }>(
      this.db,
      `UPDATE listed_products l SET national_product_id = NULL, matched_by = NULL, matched_at = NULL
         FROM (SELECT id, national_product_id FROM listed_products WHERE province_id = $1 AND unit_id = $2 AND id = $3 AND national_product_id IS NOT NULL FOR UPDATE) old
        WHERE l.id = old.id RETURNING old.national_product_id AS was`,
      [provinceId, unitId, id],
    );
    if (rows[0]) return { was: rows[0].was };
    return (await this.listedById(provinceId, unitId, id)) ? 'not-matched' : 'missing';
  }
}

const LISTED_SELECT = `SELECT l.id, l.listing_code, l.generic_name, l.trade_name, l.dosage_form, l.specification, l.packaging, l.manufacturer, l.approval_number,
  l.national_product_id, l.matched_at, n.code AS matched_code, n.generic_name AS matched_name, n.approval_number AS matched_approval
  FROM listed_products l LEFT JOIN national_products n ON n.id = l.national_product_id`;

const UPSERT = `INSERT INTO national_products (id, code, generic_name, trade_name, dosage_form, specification, packaging, manufacturer, approval_number, search_text, search_grams, source, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
  ON CONFLICT (code) DO UPDATE SET generic_name = EXCLUDED.generic_name, trade_name = EXCLUDED.trade_name, dosage_form = EXCLUDED.dosage_form,
    specification = EXCLUDED.specification, packaging = EXCLUDED.packaging, manufacturer = EXCLUDED.manufacturer, approval_number = EXCLUDED.approval_number,
    search_text = EXCLUDED.search_text, search_grams = EXCLUDED.search_grams, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
  RETURNING (xmax = 0) AS inserted`;

export function upsertParams(e: CatalogueEntry, source: string, at: Date): unknown[] {
  const fields = searchableFields(e);
  return [randomUUID(), e.code, e.genericName, e.tradeName, e.dosageForm, e.specification, e.packaging, e.manufacturer, e.approvalNumber, fields.map(normaliseSearchText).join('\u0001'), indexGrams(fields), source, at];
}

/** Demo listings for a manufacturer that has none yet: a few demo catalogue drugs as they were listed, unmatched. DEMO DATA. */
export function demoListings(): Array<Omit<ListedProduct, 'id' | 'matched'>> {
  return [0, 2, 8, 12, 18, 29].map((i, n) => {
    const e = DEMO_CATALOGUE[i] ?? DEMO_CATALOGUE[0];
    if (!e) throw new Error('the demo catalogue is empty');
    return { listingCode: `GW-DEMO-${String(n + 1).padStart(3, '0')}`, genericName: e.genericName, tradeName: e.tradeName, dosageForm: e.dosageForm, specification: e.specification, packaging: e.packaging, manufacturer: e.manufacturer, approvalNumber: e.approvalNumber };
  });
}

function toNational(r: NationalRow): NationalProduct {
  return { id: r.id, code: r.code, genericName: r.generic_name, tradeName: r.trade_name, dosageForm: r.dosage_form, specification: r.specification, packaging: r.packaging, manufacturer: r.manufacturer, approvalNumber: r.approval_number };
}

function toListed(r: ListedRow): ListedProduct {
  return {
    id: r.id,
    listingCode: r.listing_code,
    genericName: r.generic_name,
    tradeName: r.trade_name,
    dosageForm: r.dosage_form,
    specification: r.specification,
    packaging: r.packaging,
    manufacturer: r.manufacturer,
    approvalNumber: r.approval_number,
    matched: r.national_product_id ? { nationalProductId: r.national_product_id, code: r.matched_code ?? '', genericName: r.matched_name ?? '', approvalNumber: r.matched_approval ?? '', matchedAt: new Date(r.matched_at ?? 0) } : undefined,
  };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
