import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import type {
  InstitutionKind,
  InsuranceCoreSystem,
  NationalRegistry,
  NationalRegistryImporter,
  RegistryEntry,
  RegistryImportResult,
  RegistrySource,
} from '#src/national-registry/national-registry.port.js';
import type { Queryable } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

interface EntryRow {
  uscc: string;
  name: string;
  province_id: string;
  role_types: string[];
  note: string | null;
  /** NULL when the entry has none (json_agg over no rows). */
  institutions: Array<{ code: string; name: string; kind: InstitutionKind }> | null;
}

/** An entry with its institutions in one statement (institutions as a JSON array, by code). */
const SELECT_ENTRIES = `
  SELECT e.uscc, e.name, e.province_id, e.role_types, e.note,
         (SELECT json_agg(json_build_object('code', i.code, 'name', i.name, 'kind', i.kind) ORDER BY i.code)
            FROM registry_institutions i WHERE i.uscc = e.uscc) AS institutions
    FROM registry_entries e`;

/**
 * The registry kept in this service's own database (tables registry_entries and
 * registry_institutions): the demo rows of the migration and whatever `registry import` loaded.
 * Raw SQL, no cache: an import through DATABASE_URL is seen by every running node at once.
 */
@Injectable()
export class DatabaseNationalRegistry implements NationalRegistry, NationalRegistryImporter, InsuranceCoreSystem {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async findByUscc(uscc: string): Promise<RegistryEntry | undefined> {
    const rows = await this.db.query<EntryRow[]>(`${SELECT_ENTRIES} WHERE e.uscc = $1`, [uscc.trim().toUpperCase()]);
    const row = rows[0];
    return row ? toEntry(row) : undefined;
  }

  /** XZ-9 on the demo registry: an unknown credit code has no base data either. */
  async hasUnitBaseData(uscc: string): Promise<boolean> {
    const rows = await this.db.query<Array<{ core_base_data: boolean }>>(`SELECT core_base_data FROM registry_entries WHERE uscc = $1`, [uscc.trim().toUpperCase()]);
    return rows[0]?.core_base_data ?? false;
  }

  async listByProvince(provinceId: ProvinceId): Promise<RegistryEntry[]> {
    const rows = await this.db.query<EntryRow[]>(`${SELECT_ENTRIES} WHERE e.province_id = $1 ORDER BY e.uscc`, [provinceId]);
    return rows.map(toEntry);
  }

  async importRows(rows: readonly RegistryEntry[], source: RegistrySource): Promise<RegistryImportResult> {
    const usccs = rows.map((row) => row.uscc);
    const duplicate = usccs.find((uscc, index) => usccs.indexOf(uscc) !== index);
    if (duplicate) throw new Error(`importRows: 信用代码 ${duplicate} 出现了不止一次`);
    const loadedAt = this.clock.now();
    // PGlite is one session: everything inside goes through the transaction's manager.
    return this.db.transaction(async (manager) => {
      const q: Queryable = manager;
      let institutions = 0;
      for (const row of rows) {
        await q.query(
          `INSERT INTO registry_entries (uscc, name, province_id, role_types, note, source, loaded_at)
           VALUES ($1, $2, $3, $4::text[], $5, $6, $7)
           ON CONFLICT (uscc) DO UPDATE SET name = EXCLUDED.name, province_id = EXCLUDED.province_id, role_types = EXCLUDED.role_types,
             note = EXCLUDED.note, source = EXCLUDED.source, loaded_at = EXCLUDED.loaded_at`,
          [row.uscc, row.name, row.provinceId, row.roleTypes, row.note ?? null, source, loadedAt],
        );
      }
      if (usccs.length > 0) await q.query(`DELETE FROM registry_institutions WHERE uscc = ANY($1::text[])`, [usccs]);
      for (const row of rows) {
        for (const institution of row.institutions) {
          // An institution code listed under another credit code before moves to this one.
          await q.query(
            `INSERT INTO registry_institutions (code, uscc, name, kind) VALUES ($1, $2, $3, $4)
             ON CONFLICT (code) DO UPDATE SET uscc = EXCLUDED.uscc, name = EXCLUDED.name, kind = EXCLUDED.kind`,
            [institution.code, row.uscc, institution.name, institution.kind],
          );
          institutions += 1;
        }
      }
      return { entries: rows.length, institutions };
    });
  }
}

function toEntry(row: EntryRow): RegistryEntry {
  // pg and PGlite both parse text[] and json columns.
  const entry: RegistryEntry = {
    uscc: row.uscc,
    name: row.name,
    provinceId: row.province_id,
    roleTypes: row.role_types,
    institutions: (row.institutions ?? []).map(({ code, name, kind }) => ({ code, name, kind })),
  };
  if (row.note !== null) entry.note = row.note;
  return entry;
}
