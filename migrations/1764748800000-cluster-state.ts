import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * State that several app nodes must share (issue 10): which version of the whole profile set (the
 * profiles and the templates) was published last, so a node that missed the notification catches
 * up; and a log of rate-limited events (feedback submissions), so every node counts the same ones.
 */
export class ClusterState1764748800000 implements MigrationInterface {
  name = 'ClusterState1764748800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE profile_set_versions (
        id           bigserial   PRIMARY KEY,
        version      char(64)    NOT NULL,
        node_id      text        NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE rate_limit_events (
        id          bigserial   PRIMARY KEY,
        kind        text        NOT NULL,
        province_id text        NOT NULL,
        subject     text        NOT NULL,
        at          timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX rate_limit_events_subject_idx ON rate_limit_events (kind, province_id, subject, at DESC)`);
    await queryRunner.query(`CREATE INDEX rate_limit_events_at_idx ON rate_limit_events (at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_limit_events`);
    await queryRunner.query(`DROP TABLE profile_set_versions`);
  }
}
