/**
 * The CA room's rows: challenges, activation tickets, the certificates a province has seen and the
 * bindings. Every query is scoped to a province (ProvinceId), and every single-use thing is spent in
 * one UPDATE so two requests cannot both win.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ParsedCertificate } from '#src/ca/pki/x509.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { PeriodicSweeper } from '#src/database/periodic-sweeper.js';
import { isUuid } from '#src/identity/accounts.repository.js';
import { queryRows, type Queryable } from '#src/sms/queryable.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

/** Long enough to paste a certificate and run the signer; short enough that an old one is worthless. */
export const CHALLENGE_SECONDS = 300;
export const ACTIVATION_SECONDS = 300;

export type CaRealm = 'hall' | 'procurement';
export type BindingVia = 'review' | 'activation' | 'account-management';

/** A certificate as the province knows it: issuer (hashed DER name) + serial. */
export interface CertificateRef {
  issuerKey: string;
  serial: string;
}

export interface SeenCertificate extends CertificateRef {
  issuerDn: string;
  subjectDn: string;
  subjectUscc: string | undefined;
  algorithm: string;
  vendorId: string;
  notBefore: Date;
  notAfter: Date;
}

export interface Binding extends SeenCertificate {
  id: string;
  realm: CaRealm;
  accountId: string;
  unitId: string | undefined;
  via: BindingVia;
  boundBy: string;
  createdAt: Date;
}

interface SeenRow {
  issuer_key: string;
  serial: string;
  issuer_dn: string;
  subject_dn: string;
  subject_uscc: string | null;
  algorithm: string;
  vendor_id: string;
  not_before: Date | string;
  not_after: Date | string;
}

interface BindingRow extends SeenRow {
  id: string;
  realm: CaRealm;
  account_id: string;
  unit_id: string | null;
  via: BindingVia;
  bound_by: string;
  created_at: Date | string;
}

const SEEN_COLUMNS = 'c.issuer_key, c.serial, c.issuer_dn, c.subject_dn, c.subject_uscc, c.algorithm, c.vendor_id, c.not_before, c.not_after';
const BINDING_COLUMNS = `b.id, b.realm, b.account_id, b.unit_id, b.via, b.bound_by, b.created_at, ${SEEN_COLUMNS}`;

function hashOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** NUL and lone surrogates cannot be stored; a trusted CA's odd name is kept readable instead. */
function storable(value: string): string {
  return value.replaceAll('\u0000', '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

@Injectable()
export class CaStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get dataSource(): DataSource {
    return this.db;
  }

  async issueChallenge(provinceId: ProvinceId): Promise<{ challengeId: string; challenge: string; expiresInSeconds: number }> {
    const challengeId = randomUUID();
    const challenge = `${provinceId}:${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    await this.db.query(`INSERT INTO ca_challenges (id, province_id, challenge, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [challengeId, provinceId, challenge, now, new Date(now.getTime() + CHALLENGE_SECONDS * 1000)]);
    return { challengeId, challenge, expiresInSeconds: CHALLENGE_SECONDS };
  }

  /** The challenge's text, spent by this call; undefined when unknown, of another province, used or expired. */
  async consumeChallenge(provinceId: ProvinceId, challengeId: string): Promise<string | undefined> {
    if (!isUuid(challengeId)) return undefined;
    const rows = await queryRows<{ challenge: string }>(
      this.db,
      `UPDATE ca_challenges SET consumed_at = $3 WHERE id = $1 AND province_id = $2 AND consumed_at IS NULL AND expires_at > $3 RETURNING challenge`,
      [challengeId, provinceId, this.clock.now()],
    );
    return rows[0]?.challenge;
  }

  async issueActivation(provinceId: ProvinceId, accountId: string, certificate: CertificateRef): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.query(`INSERT INTO ca_activations (id_hash, province_id, account_id, issuer_key, serial, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      hashOf(ticket),
      provinceId,
      accountId,
      certificate.issuerKey,
      certificate.serial,
      now,
      new Date(now.getTime() + ACTIVATION_SECONDS * 1000),
    ]);
    return ticket;
  }

  async consumeActivation(provinceId: ProvinceId, ticket: string): Promise<({ accountId: string } & CertificateRef) | undefined> {
    if (!/^[\w-]{43}$/.test(ticket)) return undefined;
    const rows = await queryRows<{ account_id: string; issuer_key: string; serial: string }>(
      this.db,
      `UPDATE ca_activations SET consumed_at = $3 WHERE id_hash = $1 AND province_id = $2 AND consumed_at IS NULL AND expires_at > $3 RETURNING account_id, issuer_key, serial`,
      [hashOf(ticket), provinceId, this.clock.now()],
    );
    const row = rows[0];
    return row && { accountId: row.account_id, issuerKey: row.issuer_key, serial: row.serial };
  }

  /** Records (or refreshes) a certificate that just proved itself. */
  async recordSeen(provinceId: ProvinceId, leaf: ParsedCertificate, vendorId: string): Promise<SeenCertificate> {
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO ca_certificates (province_id, issuer_key, serial, issuer_dn, subject_dn, subject_uscc, algorithm, vendor_id, fingerprint, not_before, not_after, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       ON CONFLICT (province_id, issuer_key, serial) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
      [provinceId, leaf.issuer.key, leaf.serial, storable(leaf.issuer.text), storable(leaf.subject.text), leaf.subjectUscc ?? null, leaf.publicKey.algorithm, vendorId, leaf.fingerprint, leaf.notBefore, leaf.notAfter, now],
    );
    return {
      issuerKey: leaf.issuer.key,
      serial: leaf.serial,
      issuerDn: storable(leaf.issuer.text),
      subjectDn: storable(leaf.subject.text),
      subjectUscc: leaf.subjectUscc,
      algorithm: leaf.publicKey.algorithm,
      vendorId,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
    };
  }

  async seen(q: Queryable, provinceId: ProvinceId, ref: CertificateRef): Promise<SeenCertificate | undefined> {
    const rows = await queryRows<SeenRow>(q, `SELECT ${SEEN_COLUMNS} FROM ca_certificates c WHERE c.province_id = $1 AND c.issuer_key = $2 AND c.serial = $3`, [provinceId, ref.issuerKey, ref.serial]);
    return rows[0] && toSeen(rows[0]);
  }

  /** Certificates of the province with this serial (several issuers may have used one number). */
  async seenBySerial(provinceId: ProvinceId, serial: string): Promise<SeenCertificate[]> {
    const rows = await queryRows<SeenRow>(this.db, `SELECT ${SEEN_COLUMNS} FROM ca_certificates c WHERE c.province_id = $1 AND c.serial = $2 ORDER BY c.last_seen_at DESC`, [provinceId, serial]);
    return rows.map(toSeen);
  }

  async bindingOf(q: Queryable, provinceId: ProvinceId, realm: CaRealm, ref: CertificateRef): Promise<Binding | undefined> {
    const rows = await queryRows<BindingRow>(
      q,
      `SELECT ${BINDING_COLUMNS} FROM ca_bindings b JOIN ca_certificates c USING (province_id, issuer_key, serial) WHERE b.province_id = $1 AND b.realm = $2 AND b.issuer_key = $3 AND b.serial = $4`,
      [provinceId, realm, ref.issuerKey, ref.serial],
    );
    return rows[0] && toBinding(rows[0]);
  }

  async bindingsOfAccounts(q: Queryable, provinceId: ProvinceId, realm: CaRealm, accountIds: readonly string[]): Promise<Binding[]> {
    const ids = accountIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = await queryRows<BindingRow>(
      q,
      `SELECT ${BINDING_COLUMNS} FROM ca_bindings b JOIN ca_certificates c USING (province_id, issuer_key, serial) WHERE b.province_id = $1 AND b.realm = $2 AND b.account_id = ANY($3::uuid[])`,
      [provinceId, realm, ids],
    );
    return rows.map(toBinding);
  }

  /** Throws a unique violation when the certificate or the account is already bound in the realm. */
  async insertBinding(q: Queryable, provinceId: ProvinceId, binding: { realm: CaRealm; accountId: string; unitId: string | undefined; via: BindingVia; boundBy: string } & CertificateRef): Promise<string> {
    const id = randomUUID();
    await q.query(`INSERT INTO ca_bindings (id, province_id, realm, issuer_key, serial, account_id, unit_id, via, bound_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      id,
      provinceId,
      binding.realm,
      binding.issuerKey,
      binding.serial,
      binding.accountId,
      binding.unitId ?? null,
      binding.via,
      binding.boundBy,
      this.clock.now(),
    ]);
    return id;
  }

  /** The account's binding, removed; undefined when it had none. */
  async deleteBindingOfAccount(q: Queryable, provinceId: ProvinceId, realm: CaRealm, accountId: string): Promise<CertificateRef | undefined> {
    if (!isUuid(accountId)) return undefined;
    const rows = await queryRows<{ issuer_key: string; serial: string }>(q, `DELETE FROM ca_bindings WHERE province_id = $1 AND realm = $2 AND account_id = $3 RETURNING issuer_key, serial`, [provinceId, realm, accountId]);
    const row = rows[0];
    return row && { issuerKey: row.issuer_key, serial: row.serial };
  }
}

function toSeen(r: SeenRow): SeenCertificate {
  return {
    issuerKey: r.issuer_key,
    serial: r.serial,
    issuerDn: r.issuer_dn,
    subjectDn: r.subject_dn,
    subjectUscc: r.subject_uscc ?? undefined,
    algorithm: r.algorithm,
    vendorId: r.vendor_id,
    notBefore: new Date(r.not_before),
    notAfter: new Date(r.not_after),
  };
}

function toBinding(r: BindingRow): Binding {
  return { ...toSeen(r), id: r.id, realm: r.realm, accountId: r.account_id, unitId: r.unit_id ?? undefined, via: r.via, boundBy: r.bound_by, createdAt: new Date(r.created_at) };
}

/** Spent and expired challenges and activation tickets are kept an hour, then swept. */
@Injectable()
export class CaSweeper extends PeriodicSweeper {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(10 * 60_000, '清理过期的 CA 挑战码');
  }

  async sweep(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - 3600_000);
    await this.db.query(`DELETE FROM ca_challenges WHERE expires_at < $1`, [before]);
    await this.db.query(`DELETE FROM ca_activations WHERE expires_at < $1`, [before]);
  }
}
