import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CA certificates (HN-1, HN-8, HN-11, HN-12):
 * - challenges: random, short-lived, single use (consumed_at), per province;
 * - certificates a province has seen prove themselves (chain to a vendor root and a signature of a
 *   challenge), keyed by issuer (SHA-256 of the issuer's DER name) + serial, as CA staff know them;
 * - bindings of such a certificate to one account: a hall unit account (HN-8, made by the province
 *   administrator's approval) or a procurement account (HN-11 activation or 账号管理); a certificate
 *   binds one account per realm and an account holds one certificate per realm;
 * - hall binding requests (HN-8) and their review, the due time kept as promised at submission;
 * - activation tickets (HN-11 way 1): only the SHA-256 of the ticket is stored.
 * Times come from the app's clock, so no column defaults to now().
 */
export class Ca1764576000000 implements MigrationInterface {
  name = 'Ca1764576000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ca_challenges (
        id          uuid        PRIMARY KEY,
        province_id text        NOT NULL,
        challenge   text        NOT NULL,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ca_challenges_expiry_idx ON ca_challenges (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE ca_certificates (
        province_id   text        NOT NULL,
        issuer_key    text        NOT NULL,
        serial        text        NOT NULL,
        issuer_dn     text        NOT NULL,
        subject_dn    text        NOT NULL,
        subject_uscc  text,
        algorithm     text        NOT NULL CHECK (algorithm IN ('rsa', 'ecdsa', 'sm2')),
        vendor_id     text        NOT NULL,
        fingerprint   text        NOT NULL,
        not_before    timestamptz NOT NULL,
        not_after     timestamptz NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at  timestamptz NOT NULL,
        PRIMARY KEY (province_id, issuer_key, serial)
      )`);
    await queryRunner.query(`CREATE INDEX ca_certificates_serial_idx ON ca_certificates (province_id, serial)`);

    await queryRunner.query(`
      CREATE TABLE ca_bindings (
        id          uuid        PRIMARY KEY,
        province_id text        NOT NULL,
        realm       text        NOT NULL CHECK (realm IN ('hall', 'procurement')),
        issuer_key  text        NOT NULL,
        serial      text        NOT NULL,
        account_id  uuid        NOT NULL,
        unit_id     uuid,
        via         text        NOT NULL CHECK (via IN ('review', 'activation', 'account-management')),
        bound_by    text        NOT NULL,
        created_at  timestamptz NOT NULL,
        FOREIGN KEY (province_id, issuer_key, serial) REFERENCES ca_certificates (province_id, issuer_key, serial)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ca_bindings_certificate_idx ON ca_bindings (province_id, realm, issuer_key, serial)`);
    await queryRunner.query(`CREATE UNIQUE INDEX ca_bindings_account_idx ON ca_bindings (province_id, realm, account_id)`);

    await queryRunner.query(`
      CREATE TABLE ca_binding_requests (
        id           uuid        PRIMARY KEY,
        province_id  text        NOT NULL,
        unit_id      uuid        NOT NULL REFERENCES units (id),
        unit_name    text        NOT NULL,
        uscc         text        NOT NULL,
        issuer_key   text        NOT NULL,
        serial       text        NOT NULL,
        status       text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        submitted_by text        NOT NULL,
        submitted_at timestamptz NOT NULL,
        due_at       timestamptz NOT NULL,
        decided_by   uuid,
        decided_at   timestamptz,
        reason       text,
        FOREIGN KEY (province_id, issuer_key, serial) REFERENCES ca_certificates (province_id, issuer_key, serial),
        CHECK ((status = 'pending') = (decided_at IS NULL)),
        CHECK (status <> 'rejected' OR reason IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX ca_binding_requests_pending_idx ON ca_binding_requests (province_id, unit_id) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX ca_binding_requests_queue_idx ON ca_binding_requests (province_id, status, submitted_at)`);

    await queryRunner.query(`
      CREATE TABLE ca_activations (
        id_hash     bytea       PRIMARY KEY,
        province_id text        NOT NULL,
        account_id  uuid        NOT NULL,
        issuer_key  text        NOT NULL,
        serial      text        NOT NULL,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ca_activations_expiry_idx ON ca_activations (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ca_activations`);
    await queryRunner.query(`DROP TABLE ca_binding_requests`);
    await queryRunner.query(`DROP TABLE ca_bindings`);
    await queryRunner.query(`DROP TABLE ca_certificates`);
    await queryRunner.query(`DROP TABLE ca_challenges`);
  }
}
