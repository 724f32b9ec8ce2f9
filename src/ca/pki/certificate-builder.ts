/**
 * Issues X.509 v3 certificates for the test CA (`npm run province -- ca`) and the tests: the
 * TBSCertificate is built with @peculiar/asn1-x509 and signed by the issuer's key (RSA or ECDSA
 * with SHA-256 through Node, SM2-with-SM3 through sm-crypto). Options exist to make the broken
 * certificates the refusal tests need (wrong usage, no CA flag, a stranger's signature).
 */
import { createHash, randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import type { SigningKey } from '#src/ca/pki/keys.js';
import { OID } from '#src/ca/pki/oids.js';
import { parseCertificate, toPem, type KeyUsageName, type ParsedCertificate, type SignatureAlgorithm } from '#src/ca/pki/x509.js';

/** Attributes in order: `[['C', 'CN'], ['O', '湖南测试CA'], ['CN', '…']]`. */
export type NameSpec = ReadonlyArray<readonly [attribute: 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN' | 'serialNumber', value: string]>;

const ATTRIBUTE_OIDS: Readonly<Record<NameSpec[number][0], string>> = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', serialNumber: '2.5.4.5' };

const SIGNATURE_OIDS: Readonly<Record<SignatureAlgorithm, string>> = {
  'rsa-sha256': OID.sha256WithRSAEncryption,
  'rsa-sha384': OID.sha384WithRSAEncryption,
  'rsa-sha512': OID.sha512WithRSAEncryption,
  'ecdsa-sha256': OID.ecdsaWithSha256,
  'ecdsa-sha384': OID.ecdsaWithSha384,
  'sm2-sm3': OID.sm2WithSm3,
};

const USAGE_FLAGS: Readonly<Record<KeyUsageName, number>> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  nonRepudiation: KeyUsageFlags.nonRepudiation,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  dataEncipherment: KeyUsageFlags.dataEncipherment,
  keyAgreement: KeyUsageFlags.keyAgreement,
  keyCertSign: KeyUsageFlags.keyCertSign,
  cRLSign: KeyUsageFlags.cRLSign,
};

export interface CertificateSpec {
  subject: NameSpec;
  /** The subject's key (its public half goes into the certificate). */
  key: SigningKey;
  /** Omitted: self-signed by `key`. */
  issuer?: { certificate: ParsedCertificate; key: SigningKey } | undefined;
  notBefore: Date;
  notAfter: Date;
  /** A CA certificate (basic constraints cA, keyCertSign + cRLSign unless keyUsage says otherwise). */
  ca?: { pathLen?: number | undefined } | undefined;
  /** Defaults: digitalSignature + nonRepudiation for a leaf, keyCertSign + cRLSign for a CA; [] leaves the extension out. */
  keyUsage?: readonly KeyUsageName[] | undefined;
  /** Signs with this key instead of the issuer's (a broken chain, for tests). */
  signWith?: SigningKey | undefined;
  serial?: Buffer | undefined;
}

export interface IssuedCertificate {
  der: Buffer;
  pem: string;
  parsed: ParsedCertificate;
}

export function issueCertificate(spec: CertificateSpec): IssuedCertificate {
  const signer = spec.signWith ?? spec.issuer?.key ?? spec.key;
  const signature = new AlgorithmIdentifier({ algorithm: SIGNATURE_OIDS[signer.signatureAlgorithm], ...(signer.algorithm === 'rsa' ? { parameters: null } : {}) });
  const subjectKeyId = keyIdentifier(spec.key);
  const issuerKeyId = spec.issuer ? keyIdentifier(spec.issuer.key) : subjectKeyId;
  const usage = spec.keyUsage ?? (spec.ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature', 'nonRepudiation']);
  const extensions = [
    ...(spec.ca ? [extension(OID.basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: spec.ca.pathLen }))] : []),
    ...(usage.length > 0 ? [extension(OID.keyUsage, true, new KeyUsage(usage.reduce((flags, name) => flags | USAGE_FLAGS[name], 0)))] : []),
    extension(OID.subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyId)),
    extension(OID.authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(issuerKeyId) })),
  ];
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: arrayBuffer(spec.serial ?? positiveSerial()),
    signature,
    issuer: spec.issuer ? AsnConvert.parse(spec.issuer.certificate.subject.der, Name) : buildName(spec.subject),
    validity: new Validity({ notBefore: spec.notBefore, notAfter: spec.notAfter }),
    subject: buildName(spec.subject),
    subjectPublicKeyInfo: AsnConvert.parse(spec.key.publicKey.spki, SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const certificate = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: signature, signatureValue: arrayBuffer(signer.sign(tbsDer)) });
  const der = Buffer.from(AsnConvert.serialize(certificate));
  return { der, pem: toPem(der), parsed: parseCertificate(der) };
}

export function buildName(spec: NameSpec): Name {
  return new Name(
    spec.map(([attribute, value]) => {
      const printable = attribute === 'C' || (attribute === 'serialNumber' && /^[A-Za-z0-9 '()+,./:=?-]+$/.test(value));
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type: ATTRIBUTE_OIDS[attribute], value: new AttributeValue(printable ? { printableString: value } : { utf8String: value }) })]);
    }),
  );
}

function extension(id: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subject public key bits. */
function keyIdentifier(key: SigningKey): ArrayBuffer {
  const spki = AsnConvert.parse(key.publicKey.spki, SubjectPublicKeyInfo);
  return arrayBuffer(createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest());
}

/** 16 random bytes, first one below 0x80 and above 0 (a positive INTEGER of full length). */
function positiveSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes;
}

function arrayBuffer(bytes: Buffer): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}
