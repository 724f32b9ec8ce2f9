import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 账号角色管理 (N-6, NM-3, XZ-10, JL-14) and 账号管理 (JL-15): a unit's procurement roles with their
 * menu and button permissions, and which role each of its procurement accounts holds (one at most,
 * as 修改角色 changes it). `version` grows with every change of a role, so a cached ability built
 * from an older version is never used again.
 */
export class ProcurementRoles1764576100000 implements MigrationInterface {
  name = 'ProcurementRoles1764576100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE procurement_roles (
        id          uuid        PRIMARY KEY,
        province_id text        NOT NULL,
        unit_id     uuid        NOT NULL REFERENCES units (id),
        name        text        NOT NULL,
        remark      text        NOT NULL,
        permissions jsonb       NOT NULL,
        version     integer     NOT NULL,
        created_by  uuid        NOT NULL,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX procurement_roles_name_idx ON procurement_roles (province_id, unit_id, lower(name))`);
    await queryRunner.query(`
      CREATE TABLE procurement_account_roles (
        account_id  uuid        PRIMARY KEY REFERENCES procurement_accounts (id),
        province_id text        NOT NULL,
        unit_id     uuid        NOT NULL REFERENCES units (id),
        role_id     uuid        NOT NULL REFERENCES procurement_roles (id),
        assigned_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX procurement_account_roles_role_idx ON procurement_account_roles (province_id, unit_id, role_id)`);
    await queryRunner.query(`ALTER TABLE procurement_accounts ADD COLUMN disabled_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE procurement_accounts DROP COLUMN disabled_at`);
    await queryRunner.query(`DROP TABLE procurement_account_roles`);
    await queryRunner.query(`DROP TABLE procurement_roles`);
  }
}
