import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Province administrators (医保局 staff, one province each): created by the maintainers' CLI
 * (`npm run province -- admin create`), signed in with sessions of the `admin` realm. The account
 * name is unique per province whatever its case, as unit accounts are. Times come from the app's
 * clock, so no column defaults to now().
 *
 * Also the indexes the administrators' audit view reads by: newest first with keyset paging on
 * (at, id), narrowed by unit or by actor.
 */
export class ProvinceAdministrators1764489700000 implements MigrationInterface {
  name = 'ProvinceAdministrators1764489700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE province_administrators (
        id                  uuid        PRIMARY KEY,
        province_id         text        NOT NULL,
        account_name        text        NOT NULL CHECK (account_name <> ''),
        display_name        text,
        password_hash       text        NOT NULL,
        status              text        NOT NULL CHECK (status IN ('active', 'disabled')),
        created_at          timestamptz NOT NULL,
        password_changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX province_administrators_account_idx ON province_administrators (province_id, lower(account_name))`);

    await queryRunner.query(`CREATE INDEX audit_events_province_keyset_idx ON audit_events (province_id, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_events_unit_idx ON audit_events (province_id, unit_id, at DESC, id DESC) WHERE unit_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (province_id, actor_id, at DESC, id DESC) WHERE actor_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX audit_events_actor_idx`);
    await queryRunner.query(`DROP INDEX audit_events_unit_idx`);
    await queryRunner.query(`DROP INDEX audit_events_province_keyset_idx`);
    await queryRunner.query(`DELETE FROM sessions WHERE realm = 'admin'`);
    await queryRunner.query(`DROP TABLE province_administrators`);
  }
}
