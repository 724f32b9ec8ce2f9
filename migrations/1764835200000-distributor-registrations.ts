import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Distributors who register at the procurement subsystem itself (HN-10): their registrations wait
 * for the province administrator's review, and an approved one becomes a procurement account of a
 * new kind, `distributor`.
 *
 * Why no `units` row: a hall unit carries a hall login (account name, password, recovery phone) and
 * one registration per credit code and province. A distributor of HN-10 has no hall account and
 * never logs in there, and an enterprise registered in the hall (as a manufacturer, say) may still
 * register here as a distributor. So the approved registration is the distributor's unit record in
 * procurement: the account points at it (`distributor_registration_id`, unit_id stays empty, as for
 * AH-7's special institutions), and its id is the unit scope of the account's CASL rules.
 *
 * The credit code and the login name are held by at most one pending or approved registration per
 * province (partial unique indexes); a rejected one frees them, so the distributor may register
 * again. Times come from the app's clock, so no column defaults to now().
 */
export class DistributorRegistrations1764835200000 implements MigrationInterface {
  name = 'DistributorRegistrations1764835200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE distributor_registrations (
        id             uuid        PRIMARY KEY,
        province_id    text        NOT NULL,
        reference      text        NOT NULL,
        uscc           text        NOT NULL,
        unit_name      text        NOT NULL,
        contact_name   text        NOT NULL,
        contact_mobile text        NOT NULL,
        login_name     text        NOT NULL,
        password_hash  text        NOT NULL,
        status         text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        submitted_at   timestamptz NOT NULL,
        decided_by     uuid,
        decided_at     timestamptz,
        reason         text,
        CHECK ((status = 'pending') = (decided_at IS NULL)),
        CHECK ((status = 'rejected') = (reason IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX distributor_registrations_reference_idx ON distributor_registrations (province_id, reference)`);
    await queryRunner.query(`CREATE UNIQUE INDEX distributor_registrations_uscc_idx ON distributor_registrations (province_id, uscc) WHERE status IN ('pending', 'approved')`);
    await queryRunner.query(`CREATE UNIQUE INDEX distributor_registrations_login_idx ON distributor_registrations (province_id, lower(login_name)) WHERE status IN ('pending', 'approved')`);
    await queryRunner.query(`CREATE INDEX distributor_registrations_queue_idx ON distributor_registrations (province_id, status, submitted_at)`);
    await queryRunner.query(`CREATE INDEX distributor_registrations_login_any_idx ON distributor_registrations (province_id, lower(login_name), submitted_at DESC)`);

    await queryRunner.query(`ALTER TABLE procurement_accounts ADD COLUMN distributor_registration_id uuid REFERENCES distributor_registrations (id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX procurement_accounts_distributor_idx ON procurement_accounts (province_id, distributor_registration_id) WHERE distributor_registration_id IS NOT NULL`);
    // The CHECKs of 1764489600000 were created unnamed: PostgreSQL named them <table>_<column>_check
    // (kind) and <table>_check, <table>_check1, <table>_check2 (the table-level ones, in order).
    await queryRunner.query(`ALTER TABLE procurement_accounts DROP CONSTRAINT procurement_accounts_kind_check`);
    await queryRunner.query(`ALTER TABLE procurement_accounts ADD CONSTRAINT procurement_accounts_kind_check CHECK (kind IN ('unit', 'operator', 'branch', 'special', 'distributor'))`);
    await queryRunner.query(`ALTER TABLE procurement_accounts DROP CONSTRAINT procurement_accounts_check2`);
    await queryRunner.query(`ALTER TABLE procurement_accounts ADD CONSTRAINT procurement_accounts_unit_check CHECK (kind IN ('special', 'distributor') OR unit_id IS NOT NULL)`);
    await queryRunner.query(`ALTER TABLE procurement_accounts ADD CONSTRAINT procurement_accounts_distributor_check CHECK ((kind = 'distributor') = (distributor_registration_id IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM procurement_account_roles WHERE account_id IN (SELECT id FROM procurement_accounts WHERE kind = 'distributor')`);
    await queryRunner.query(`DELETE FROM procurement_accounts WHERE kind = 'distributor'`);
    await queryRunner.query(`ALTER TABLE procurement_accounts DROP CONSTRAINT procurement_accounts_distributor_check`);
    await queryRunner.query(`ALTER TABLE procurement_accounts DROP CONSTRAINT procurement_accounts_unit_check`);
    await queryRunner.query(`ALTER TABLE procurement_accounts ADD CONSTRAINT procurement_accounts_check2 CHECK (kind = 'special' OR unit_id IS NOT NULL)`);
    await queryRunner.query(`ALTER TABLE procurement_accounts DROP CONSTRAINT procurement_accounts_kind_check`);
    await queryRunner.query(`ALTER TABLE procurement_accounts ADD CONSTRAINT procurement_accounts_kind_check CHECK (kind IN ('unit', 'operator', 'branch', 'special'))`);
    await queryRunner.query(`ALTER TABLE procurement_accounts DROP COLUMN distributor_registration_id`);
    await queryRunner.query(`DROP TABLE distributor_registrations`);
  }
}
