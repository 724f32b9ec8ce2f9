import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Graphic captchas, SMS codes (digests only), the send log behind the rate limits, the SMS messages
 * with their delivery state, and the outbox provider's store. Times come from the app's clock, so
 * no column defaults to now().
 */
export class VerificationSms1764230500000 implements MigrationInterface {
  name = 'VerificationSms1764230500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE captchas (
        id          uuid        PRIMARY KEY,
        province_id text        NOT NULL,
        answer      text        NOT NULL,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX captchas_expires_idx ON captchas (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE sms_codes (
        id           uuid        PRIMARY KEY,
        province_id  text        NOT NULL,
        phone        text        NOT NULL,
        purpose      text        NOT NULL,
        code_hash    bytea       NOT NULL,
        state        text        NOT NULL CHECK (state IN ('active', 'used', 'dead', 'replaced')),
        attempts     integer     NOT NULL DEFAULT 0,
        max_attempts integer     NOT NULL,
        message_id   uuid        NOT NULL,
        created_at   timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL,
        closed_at    timestamptz
      )`);
    // One live code per province + phone + purpose: a new send replaces the previous one.
    await queryRunner.query(`CREATE UNIQUE INDEX sms_codes_one_active_idx ON sms_codes (province_id, phone, purpose) WHERE state = 'active'`);
    await queryRunner.query(`CREATE INDEX sms_codes_expires_idx ON sms_codes (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE sms_send_log (
        id          bigserial   PRIMARY KEY,
        province_id text        NOT NULL,
        subject     text        NOT NULL,
        sent_at     timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sms_send_log_subject_idx ON sms_send_log (province_id, subject, sent_at DESC)`);
    await queryRunner.query(`CREATE INDEX sms_send_log_sent_idx ON sms_send_log (sent_at)`);

    await queryRunner.query(`
      CREATE TABLE sms_messages (
        id                  uuid        PRIMARY KEY,
        province_id         text        NOT NULL,
        phone               text        NOT NULL,
        purpose             text        NOT NULL,
        sign_name           text        NOT NULL,
        status              text        NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead')),
        attempts            integer     NOT NULL DEFAULT 0,
        payload             bytea,
        provider            text,
        provider_message_id text,
        last_error          text,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        sent_at             timestamptz,
        expires_at          timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX sms_messages_created_idx ON sms_messages (created_at)`);
    await queryRunner.query(`CREATE INDEX sms_messages_unfinished_idx ON sms_messages (created_at) WHERE status IN ('queued', 'sending', 'failed')`);
    await queryRunner.query(`CREATE INDEX sms_messages_phone_idx ON sms_messages (province_id, phone, created_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE sms_outbox (
        id          bigserial   PRIMARY KEY,
        message_id  uuid        NOT NULL UNIQUE,
        province_id text        NOT NULL,
        phone       text        NOT NULL,
        purpose     text        NOT NULL,
        sign_name   text        NOT NULL,
        text        text        NOT NULL,
        created_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sms_outbox_phone_idx ON sms_outbox (phone, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sms_outbox', 'sms_messages', 'sms_send_log', 'sms_codes', 'captchas']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
