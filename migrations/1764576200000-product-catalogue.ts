import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEMO_CATALOGUE, searchableFields } from '#src/procurement/products/demo-catalogue.js';
import { indexGrams, normaliseSearchText } from '#src/procurement/products/product-grams.js';

/**
 * 挂网产品对码 (JL-16): the national base product catalogue (国家基础产品信息, one for the country,
 * not per province) with its search index, and each manufacturer unit's listed products (挂网产品),
 * matched to at most one catalogue entry. The catalogue's search index is a GIN over character
 * unigrams and bigrams (product-grams.ts), portable to PGlite. The demo catalogue rows (codes
 * `DEMO…`, source 'demo') are demo data.
 */
export class ProductCatalogue1764576200000 implements MigrationInterface {
  name = 'ProductCatalogue1764576200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE national_products (
        id              uuid        PRIMARY KEY,
        code            text        NOT NULL UNIQUE,
        generic_name    text        NOT NULL,
        trade_name      text        NOT NULL,
        dosage_form     text        NOT NULL,
        specification   text        NOT NULL,
        packaging       text        NOT NULL,
        manufacturer    text        NOT NULL,
        approval_number text        NOT NULL,
        search_text     text        NOT NULL,
        search_grams    text[]      NOT NULL,
        source          text        NOT NULL,
        updated_at      timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX national_products_grams_idx ON national_products USING GIN (search_grams)`);
    await queryRunner.query(`
      CREATE TABLE listed_products (
        id                  uuid        PRIMARY KEY,
        province_id         text        NOT NULL,
        unit_id             uuid        NOT NULL REFERENCES units (id),
        listing_code        text        NOT NULL,
        generic_name        text        NOT NULL,
        trade_name          text        NOT NULL,
        dosage_form         text        NOT NULL,
        specification       text        NOT NULL,
        packaging           text        NOT NULL,
        manufacturer        text        NOT NULL,
        approval_number     text        NOT NULL,
        national_product_id uuid        REFERENCES national_products (id),
        matched_by          uuid,
        matched_at          timestamptz,
        created_at          timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX listed_products_code_idx ON listed_products (province_id, unit_id, listing_code)`);
    for (const [i, e] of DEMO_CATALOGUE.entries()) {
      const fields = searchableFields(e);
      await queryRunner.query(
        `INSERT INTO national_products (id, code, generic_name, trade_name, dosage_form, specification, packaging, manufacturer, approval_number, search_text, search_grams, source, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'demo', now()) ON CONFLICT (code) DO NOTHING`,
        [demoId(i), e.code, e.genericName, e.tradeName, e.dosageForm, e.specification, e.packaging, e.manufacturer, e.approvalNumber, fields.map(normaliseSearchText).join('\u0001'), indexGrams(fields)],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE listed_products`);
    await queryRunner.query(`DROP TABLE national_products`);
  }
}

/** Fixed ids for the demo rows, so that a demo listing can point at them the same everywhere. */
function demoId(i: number): string {
  return `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
}
