import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Role certification (角色认证, N-5): which role type a unit certified, and by whom. Where the
 * province has operators certify too (JL-5), each of them has a row of their own.
 */
export class HallCertifications1764403200000 implements MigrationInterface {
  name = 'HallCertifications1764403200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE unit_certifications (
        province_id  text        NOT NULL,
        unit_id      uuid        NOT NULL REFERENCES units (id),
        actor_kind   text        NOT NULL CHECK (actor_kind IN ('unit', 'operator')),
        actor_id     uuid        NOT NULL,
        role_type    text        NOT NULL,
        certified_at timestamptz NOT NULL,
        PRIMARY KEY (unit_id, actor_kind, actor_id)
      )`);
    await queryRunner.query(`CREATE INDEX unit_certifications_province_idx ON unit_certifications (province_id, unit_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE unit_certifications`);
  }
}
