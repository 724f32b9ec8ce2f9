import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CORE_DATA_MISSING_DEMO_CODES } from '#src/national-registry/registry-demo-data.js';

/**
 * The way into the procurement subsystem and what the hall keeps about it:
 * - sessions of a third realm, the province administrators' (`admin`);
 * - 招采授权 of an operator (JL-9) and the hall account's deregistration (JL-8), both kept as
 *   marks with their time rather than by deleting anything;
 * - whether the insurance core system holds the unit's base data (XZ-9), on the demo registry;
 * - procurement accounts: the unit's main account and its operators once they entered (XZ-11),
 *   branch sub-accounts made by the main account (AH-6), special institutions made by the province
 *   administrator (AH-7);
 * - one-time hand-off tickets (DESIGN.md): only the SHA-256 of the ticket is stored.
 */
export class ProcurementEntry1764489600000 implements MigrationInterface {
  name = 'ProcurementEntry1764489600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_realm_check`);
    await queryRunner.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_realm_check CHECK (realm IN ('hall', 'procurement', 'admin'))`);

    await queryRunner.query(`ALTER TABLE unit_operators ADD COLUMN procurement_authorised_at timestamptz`);
    await queryRunner.query(`ALTER TABLE units ADD COLUMN deregistered_at timestamptz`);
    await queryRunner.query(`ALTER TABLE units ADD CONSTRAINT units_deregistered_check CHECK ((status = 'deregistered') = (deregistered_at IS NOT NULL))`);
    // A deregistered hall account frees neither its credit code nor its login name for reuse by
    // accident: the unique indexes stay as they are, and re-registration is a decision for later.

    await queryRunner.query(`ALTER TABLE registry_entries ADD COLUMN core_base_data boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`UPDATE registry_entries SET core_base_data = false WHERE source = 'demo' AND uscc = ANY($1)`, [CORE_DATA_MISSING_DEMO_CODES]);

    await queryRunner.query(`
      CREATE TABLE procurement_accounts (
        id               uuid        PRIMARY KEY,
        province_id      text        NOT NULL,
        unit_id          uuid        REFERENCES units (id),
        kind             text        NOT NULL CHECK (kind IN ('unit', 'operator', 'branch', 'special')),
        hall_actor_id    uuid,
        login_name       text,
        password_hash    text,
        display_name     text        NOT NULL,
        details          jsonb       NOT NULL,
        status           text        NOT NULL CHECK (status IN ('active', 'disabled')),
        created_by       text        NOT NULL,
        created_at       timestamptz NOT NULL,
        first_entered_at timestamptz,
        last_entered_at  timestamptz,
        CHECK ((kind IN ('unit', 'operator')) = (hall_actor_id IS NOT NULL)),
        CHECK (kind IN ('unit', 'operator') OR (login_name IS NOT NULL AND password_hash IS NOT NULL)),
        CHECK (kind = 'special' OR unit_id IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX procurement_accounts_hall_idx ON procurement_accounts (province_id, unit_id, kind, hall_actor_id) WHERE hall_actor_id IS NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX procurement_accounts_login_idx ON procurement_accounts (province_id, lower(login_name)) WHERE login_name IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX procurement_accounts_unit_idx ON procurement_accounts (province_id, unit_id)`);

    await queryRunner.query(`
      CREATE TABLE procurement_tickets (
        id_hash     bytea       PRIMARY KEY,
        province_id text        NOT NULL,
        unit_id     uuid        NOT NULL REFERENCES units (id),
        actor_kind  text        NOT NULL CHECK (actor_kind IN ('unit', 'operator')),
        actor_id    uuid        NOT NULL,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX procurement_tickets_expiry_idx ON procurement_tickets (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE procurement_tickets`);
    await queryRunner.query(`DROP TABLE procurement_accounts`);
    await queryRunner.query(`ALTER TABLE registry_entries DROP COLUMN core_base_data`);
    await queryRunner.query(`ALTER TABLE units DROP CONSTRAINT units_deregistered_check`);
    await queryRunner.query(`ALTER TABLE units DROP COLUMN deregistered_at`);
    await queryRunner.query(`ALTER TABLE unit_operators DROP COLUMN procurement_authorised_at`);
    await queryRunner.query(`DELETE FROM sessions WHERE realm = 'admin'`);
    await queryRunner.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_realm_check`);
    await queryRunner.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_realm_check CHECK (realm IN ('hall', 'procurement'))`);
  }
}
