import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity: units with their unit (administrator) account, national operators and their bindings to
 * units, hall/procurement sessions (the PostgreSQL store; Redis holds them when REDIS_URL is set),
 * QR login tickets, the login-failure counters of rate-limiter-flexible, and the append-only audit
 * trail. Times come from the app's clock, so no column defaults to now().
 */
export class Identity1764316900000 implements MigrationInterface {
  name = 'Identity1764316900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE units (
        id                  uuid        PRIMARY KEY,
        province_id         text        NOT NULL,
        uscc                text        NOT NULL,
        name                text        NOT NULL,
        details             jsonb       NOT NULL,
        account_name        text        NOT NULL,
        password_hash       text        NOT NULL,
        recovery_phone      text        NOT NULL,
        status              text        NOT NULL CHECK (status IN ('active', 'disabled', 'deregistered')),
        institution_code    text,
        registered_at       timestamptz NOT NULL,
        password_changed_at timestamptz NOT NULL
      )`);
    // HN-4: a unit registers once per province; JL-3: the login name is the unit's own choice.
    await queryRunner.query(`CREATE UNIQUE INDEX units_uscc_idx ON units (province_id, uscc)`);
    await queryRunner.query(`CREATE UNIQUE INDEX units_account_idx ON units (province_id, lower(account_name))`);
    await queryRunner.query(`CREATE INDEX units_uscc_any_province_idx ON units (uscc)`);

    // Operators are national persons (HN-5, JL-11): no province, never deleted.
    await queryRunner.query(`
      CREATE TABLE operators (
        id                  uuid        PRIMARY KEY,
        mobile              text        NOT NULL UNIQUE,
        name                text        NOT NULL,
        id_type             text        NOT NULL,
        id_number           text        NOT NULL,
        id_valid_from       text        NOT NULL,
        id_valid_to         text        NOT NULL,
        password_hash       text        NOT NULL,
        status              text        NOT NULL CHECK (status IN ('active', 'disabled')),
        created_at          timestamptz NOT NULL,
        password_changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX operators_document_idx ON operators (id_type, id_number)`);

    await queryRunner.query(`
      CREATE TABLE unit_operators (
        province_id      text        NOT NULL,
        unit_id          uuid        NOT NULL REFERENCES units (id),
        operator_id      uuid        NOT NULL REFERENCES operators (id),
        bound_at         timestamptz NOT NULL,
        unbound_at       timestamptz,
        institution_code text,
        PRIMARY KEY (unit_id, operator_id)
      )`);
    await queryRunner.query(`CREATE INDEX unit_operators_operator_idx ON unit_operators (operator_id, province_id)`);

    await queryRunner.query(`
      CREATE TABLE sessions (
        id_hash             bytea       PRIMARY KEY,
        province_id         text        NOT NULL,
        realm               text        NOT NULL CHECK (realm IN ('hall', 'procurement')),
        actor_kind          text        NOT NULL,
        actor_id            uuid        NOT NULL,
        data                jsonb       NOT NULL,
        created_at          timestamptz NOT NULL,
        last_seen_at        timestamptz NOT NULL,
        idle_expires_at     timestamptz NOT NULL,
        absolute_expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sessions_actor_idx ON sessions (actor_kind, actor_id)`);
    await queryRunner.query(`CREATE INDEX sessions_expiry_idx ON sessions (absolute_expires_at)`);

    await queryRunner.query(`
      CREATE TABLE qr_login_tickets (
        id               uuid        PRIMARY KEY,
        province_id      text        NOT NULL,
        poll_token_hash  bytea       NOT NULL,
        status           text        NOT NULL CHECK (status IN ('pending', 'approved', 'consumed')),
        actor_kind       text,
        actor_id         uuid,
        unit_id          uuid,
        created_at       timestamptz NOT NULL,
        expires_at       timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX qr_login_tickets_expiry_idx ON qr_login_tickets (expires_at)`);

    // rate-limiter-flexible's RateLimiterPostgres layout; created here so the app never runs DDL.
    for (const table of ['login_failures', 'login_locks']) {
      await queryRunner.query(`CREATE TABLE ${table} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
    }

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id          bigserial   PRIMARY KEY,
        province_id text        NOT NULL,
        at          timestamptz NOT NULL,
        kind        text        NOT NULL,
        outcome     text        NOT NULL CHECK (outcome IN ('success', 'failure')),
        actor_kind  text,
        actor_id    uuid,
        unit_id     uuid,
        account     text,
        client_ip   text,
        request_id  text,
        detail      jsonb       NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX audit_events_province_at_idx ON audit_events (province_id, at DESC)`);
    // Append-only for everyone, the app included: history is never rewritten.
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    for (const table of ['login_locks', 'login_failures', 'qr_login_tickets', 'sessions', 'unit_operators', 'operators', 'units']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
