import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REGISTRY_DEMO_ENTRIES } from '#src/national-registry/registry-demo-data.js';

/**
 * The national coding registry as this service keeps it (N-4): one row per credit code and the
 * medical institutions under it (NM-5, AH-6, AH-7), plus the demo rows (source 'demo') that let a
 * newcomer walk every journey. `npm run province -- registry import` adds or replaces rows
 * (source 'import'). The registry is national, so the table is not tenant-scoped: province_id says
 * where the unit sits, for the per-province listing.
 */
export class NationalRegistry1764316800000 implements MigrationInterface {
  name = 'NationalRegistry1764316800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE registry_entries (
        uscc        text        PRIMARY KEY CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
        name        text        NOT NULL,
        province_id text        NOT NULL,
        role_types  text[]      NOT NULL CHECK (cardinality(role_types) > 0),
        note        text,
        source      text        NOT NULL CHECK (source IN ('demo', 'import')),
        loaded_at   timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX registry_entries_province_idx ON registry_entries (province_id, uscc)`);

    // The kinds are INSTITUTION_KINDS of national-registry.port.ts as of this migration; a new
    // kind needs a new migration replacing this constraint.
    await queryRunner.query(`
      CREATE TABLE registry_institutions (
        code text NOT NULL PRIMARY KEY,
        uscc text NOT NULL REFERENCES registry_entries (uscc) ON DELETE CASCADE,
        name text NOT NULL,
        kind text NOT NULL CONSTRAINT registry_institutions_kind_check CHECK (kind IN ('general', 'main', 'branch', 'military', 'veterans', 'prison'))
      )`);
    await queryRunner.query(`CREATE INDEX registry_institutions_uscc_idx ON registry_institutions (uscc)`);

    const loadedAt = new Date();
    for (const entry of REGISTRY_DEMO_ENTRIES) {
      await queryRunner.query(
        `INSERT INTO registry_entries (uscc, name, province_id, role_types, note, source, loaded_at) VALUES ($1, $2, $3, $4::text[], $5, 'demo', $6)`,
        [entry.uscc, entry.name, entry.provinceId, entry.roleTypes, entry.note ?? null, loadedAt],
      );
      for (const institution of entry.institutions) {
        await queryRunner.query(`INSERT INTO registry_institutions (code, uscc, name, kind) VALUES ($1, $2, $3, $4)`, [institution.code, entry.uscc, institution.name, institution.kind]);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE registry_institutions`);
    await queryRunner.query(`DROP TABLE registry_entries`);
  }
}
