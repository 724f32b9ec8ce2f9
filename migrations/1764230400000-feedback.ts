import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feedback sent through the portal (AH-8) and its screenshots. Tenant tables: every row carries
 * province_id, and an attachment's (feedback_id, province_id) must be its feedback's, so a
 * screenshot can never hang under another province's feedback.
 */
export class Feedback1764230400000 implements MigrationInterface {
  name = 'Feedback1764230400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE feedback (
        id            bigserial   PRIMARY KEY,
        province_id   text        NOT NULL,
        reference     text        NOT NULL,
        answers       jsonb       NOT NULL,
        profile_hash  char(64)    NOT NULL,
        submitted_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT feedback_reference_key UNIQUE (province_id, reference),
        CONSTRAINT feedback_id_province_key UNIQUE (id, province_id),
        CONSTRAINT feedback_answers_array CHECK (jsonb_typeof(answers) = 'array')
      )`);
    await queryRunner.query(`CREATE INDEX feedback_province_submitted_idx ON feedback (province_id, submitted_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE feedback_attachments (
        id           bigserial   PRIMARY KEY,
        province_id  text        NOT NULL,
        feedback_id  bigint      NOT NULL,
        field_id     text        NOT NULL,
        file_name    text        NOT NULL,
        media_type   text        NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
        size_bytes   integer     NOT NULL CHECK (size_bytes > 0),
        sha256       char(64)    NOT NULL,
        content      bytea       NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT feedback_attachments_feedback_fkey FOREIGN KEY (feedback_id, province_id) REFERENCES feedback (id, province_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX feedback_attachments_feedback_idx ON feedback_attachments (province_id, feedback_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE feedback_attachments`);
    await queryRunner.query(`DROP TABLE feedback`);
  }
}
