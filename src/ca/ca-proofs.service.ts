import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import { CaStore, type SeenCertificate } from '#src/ca/ca-store.js';
import { verifyPath, verifyPossession } from '#src/ca/pki/chain-verifier.js';
import { readCertificates, type ParsedCertificate } from '#src/ca/pki/x509.js';
import { CaTrustStore } from '#src/ca/trust-store.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { AppException } from '#src/errors/app-exception.js';
import { asRecord, text } from '#src/identity/request-body.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** A certificate that chained to a vendor's root and whose key signed one of our challenges. */
export interface ProvenCertificate {
  leaf: ParsedCertificate;
  seen: SeenCertificate;
  vendorId: string;
}

/** What the proof was for, in the audit trail. */
export type ProofPurpose = 'hall-login' | 'procurement-login' | 'procurement-binding' | 'hall-binding-request';

const MAX_SIGNATURE_CHARS = 2048;

/**
 * The one way a certificate is believed (DESIGN.md, CA certificates): the challenge is spent first
 * (one attempt per challenge, right or wrong), then the chain to the vendor's trusted roots, the
 * dates and key usages, and the signature over the challenge's UTF-8 bytes. Every refusal is in the
 * audit trail with its code; a certificate that passes is recorded as seen (issuer + serial).
 */
@Injectable()
export class CaProofs {
  constructor(
    @Inject(CaStore) private readonly store: CaStore,
    @Inject(CaTrustStore) private readonly trust: CaTrustStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  issueChallenge(tenant: Tenant): Promise<{ challengeId: string; challenge: string; expiresInSeconds: number }> {
    if (tenant.profile.caVendors.length === 0) throw caException(CaErrorCode.NOT_OFFERED);
    return this.store.issueChallenge(tenant.provinceId);
  }

  async prove(tenant: Tenant, vendorIds: readonly string[], body: unknown, origin: RequestOrigin, purpose: ProofPurpose): Promise<ProvenCertificate> {
    const vendors = this.trust.vendors(tenant, vendorIds);
    const value = asRecord(body);
    const challengeId = text(value.challengeId).trim();
    const signatureText = text(value.signature).replace(/\s+/g, '');
    const fields: Record<string, string> = {};
    if (!challengeId) fields.challengeId = '请先获取挑战码';
    if (!text(value.certificate).trim()) fields.certificate = '请粘贴证书（PEM 格式）';
    if (!signatureText) fields.signature = '请粘贴签名（Base64）';
    else if (signatureText.length > MAX_SIGNATURE_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText)) fields.signature = '签名须为 Base64 编码的 DER 签名';
    if (Object.keys(fields).length > 0) throw caException(CaErrorCode.REQUEST_INVALID, undefined, fields);
    let serial: string | undefined;
    try {
      const challenge = await this.store.consumeChallenge(tenant.provinceId, challengeId);
      if (challenge === undefined) throw caException(CaErrorCode.CHALLENGE_INVALID);
      const { leaf, vendorId } = verifyPath(readCertificates(value.certificate), await this.trust.anchors(tenant, vendors), this.clock.now());
      serial = leaf.serial;
      verifyPossession(leaf, challenge, Buffer.from(signatureText, 'base64'));
      return { leaf, vendorId, seen: await this.store.recordSeen(tenant.provinceId, leaf, vendorId) };
    } catch (error) {
      if (error instanceof AppException) await this.audit.record(tenant.provinceId, origin, { kind: 'ca.proof-refused', outcome: 'failure', detail: { purpose, code: error.code, serial } });
      throw error;
    }
  }
}

/** The hall's CA vendor: the one the province's `ca` login method names. */
export function hallVendorIds(tenant: Tenant): string[] {
  const method = tenant.profile.login.methods.find((m) => m.id === 'ca' && m.enabled);
  return method?.caVendor ? [method.caVendor] : [];
}

/** The procurement subsystem's CA vendors: those with procurement binding steps (HN-11). */
export function procurementVendorIds(tenant: Tenant): string[] {
  return tenant.profile.caVendors.filter((v) => v.procurementBinding).map((v) => v.id);
}
