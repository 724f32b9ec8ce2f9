import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which version of each province's resolved profile went live, and when. */
export class ProfileRevisions1764144000000 implements MigrationInterface {
  name = 'ProfileRevisions1764144000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE profile_revisions (
        id            bigserial   PRIMARY KEY,
        province_id   text        NOT NULL,
        hash          char(64)    NOT NULL,
        national_file text,
        province_file text,
        loaded_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX profile_revisions_province_loaded_idx ON profile_revisions (province_id, loaded_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE profile_revisions`);
  }
}
