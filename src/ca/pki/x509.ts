/**
 * X.509 certificates read with @peculiar/asn1-x509 rather than Node's X509Certificate: Node parses
 * SM2 certificates but cannot verify them, and handing an SM2 key to its crypto can abort the
 * process (an assertion in its key export), so no SM2 key ever reaches Node's crypto. Everything
 * the chain check needs (raw TBS bytes, names, validity, key usage, basic constraints, the key) is
 * read here once, for all three algorithms.
 */
import { createHash } from 'node:crypto';
import { ECParameters } from '@peculiar/asn1-ecc';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, KeyUsage, KeyUsageFlags, Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import { AppException } from '#src/errors/app-exception.js';
import { NAME_ATTRIBUTES, OID } from '#src/ca/pki/oids.js';
import { isValidUscc } from '#src/identity/checks/uscc.js';

export type KeyAlgorithm = 'rsa' | 'ecdsa' | 'sm2';
export type SignatureAlgorithm = 'rsa-sha256' | 'rsa-sha384' | 'rsa-sha512' | 'ecdsa-sha256' | 'ecdsa-sha384' | 'sm2-sm3';
export type KeyUsageName = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';

export interface PublicKeyInfo {
  algorithm: KeyAlgorithm;
  /** DER SubjectPublicKeyInfo, for Node's crypto (RSA and NIST curves only). */
  spki: Buffer;
  curve?: 'P-256' | 'P-384' | 'SM2' | undefined;
  /** The uncompressed point (04‖x‖y) of an EC or SM2 key. */
  point?: Buffer | undefined;
}

export interface NameInfo {
  der: Buffer;
  /** SHA-256 of the DER Name, hex: how an issuer is keyed in the database. */
  key: string;
  text: string;
}

export interface ParsedCertificate {
  der: Buffer;
  /** The TBSCertificate exactly as signed. */
  tbs: Buffer;
  /** SHA-256 of the DER, hex. */
  fingerprint: string;
  /** Upper-case hex without leading zeros, as CA tools print it. */
  serial: string;
  issuer: NameInfo;
  subject: NameInfo;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyInfo;
  /** Undefined for an algorithm this service does not verify. */
  signatureAlgorithm: SignatureAlgorithm | undefined;
  signature: Buffer;
  /** Undefined when the certificate has no key usage extension (any use, RFC 5280 4.2.1.3). */
  keyUsage: ReadonlySet<KeyUsageName> | undefined;
  basicConstraints: { ca: boolean; pathLen?: number | undefined } | undefined;
  /** Critical extensions this service does not understand: such a certificate must be refused. */
  unknownCritical: string[];
  /** A 统一社会信用代码 carried anywhere in the subject (serialNumber, OU, CN…), checked. */
  subjectUscc: string | undefined;
  selfIssued: boolean;
}

const MAX_CERTIFICATE_BYTES = 16 * 1024;
const MAX_CERTIFICATES = 5;
const UNDERSTOOD_CRITICAL = new Set<string>([OID.keyUsage, OID.basicConstraints, OID.extendedKeyUsage, OID.subjectAltName, OID.certificatePolicies, OID.subjectKeyIdentifier, OID.authorityKeyIdentifier]);

const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureAlgorithm>> = {
  [OID.sha256WithRSAEncryption]: 'rsa-sha256',
  [OID.sha384WithRSAEncryption]: 'rsa-sha384',
  [OID.sha512WithRSAEncryption]: 'rsa-sha512',
  [OID.ecdsaWithSha256]: 'ecdsa-sha256',
  [OID.ecdsaWithSha384]: 'ecdsa-sha384',
  [OID.sm2WithSm3]: 'sm2-sm3',
};

const KEY_USAGE_FLAGS: ReadonlyArray<[KeyUsageName, number]> = [
  ['digitalSignature', KeyUsageFlags.digitalSignature],
  ['nonRepudiation', KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', KeyUsageFlags.keyEncipherment],
  ['dataEncipherment', KeyUsageFlags.dataEncipherment],
  ['keyAgreement', KeyUsageFlags.keyAgreement],
  ['keyCertSign', KeyUsageFlags.keyCertSign],
  ['cRLSign', KeyUsageFlags.cRLSign],
];

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

/**
 * The certificates in what a client pasted: PEM blocks (leaf first, then intermediates), or a
 * single bare base64 DER certificate as some USB-key plug-ins hand it over.
 */
export function readCertificates(input: unknown, what = '证书'): ParsedCertificate[] {
  if (typeof input !== 'string' || input.trim() === '') throw caException(CaErrorCode.REQUEST_INVALID, `请提交${what}`, { certificate: `请粘贴${what}（PEM 格式）` });
  if (input.length > MAX_CERTIFICATES * MAX_CERTIFICATE_BYTES * 2) throw invalid('证书内容过长');
  const blocks = [...input.matchAll(PEM_BLOCK)].map((match) => match[1] ?? '');
  if (blocks.length === 0) {
    const bare = input.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(bare)) throw invalid();
    blocks.push(bare);
  }
  if (blocks.length > MAX_CERTIFICATES) throw invalid(`证书链最多 ${MAX_CERTIFICATES} 张证书`);
  return blocks.map((block) => parseCertificate(Buffer.from(block.replace(/\s+/g, ''), 'base64')));
}

export function parseCertificate(der: Buffer): ParsedCertificate {
  if (der.length === 0 || der.length > MAX_CERTIFICATE_BYTES || outerLength(der) !== der.length) throw invalid();
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch {
    throw invalid();
  }
  try {
    return describe(der, cert);
  } catch (error) {
    if (error instanceof AppException) throw error;
    throw invalid();
  }
}

function describe(der: Buffer, cert: Certificate): ParsedCertificate {
  const tbs = cert.tbsCertificate;
  if (!cert.tbsCertificateRaw) throw invalid();
  const issuer = nameInfo(tbs.issuer);
  const subject = nameInfo(tbs.subject);
  const extensions = tbs.extensions ?? [];
  let keyUsage: Set<KeyUsageName> | undefined;
  let basicConstraints: ParsedCertificate['basicConstraints'];
  const unknownCritical: string[] = [];
  const seen = new Set<string>();
  for (const extension of extensions) {
    // RFC 5280 4.2: a certificate must not include more than one instance of an extension.
    if (seen.has(extension.extnID)) throw invalid('证书含有重复的扩展项');
    seen.add(extension.extnID);
    const value = extension.extnValue.buffer;
    if (extension.extnID === OID.keyUsage) {
      const flags = AsnConvert.parse(value, KeyUsage).toNumber();
      keyUsage = new Set(KEY_USAGE_FLAGS.filter(([, flag]) => (flags & flag) !== 0).map(([name]) => name));
    } else if (extension.extnID === OID.basicConstraints) {
      const parsed = AsnConvert.parse(value, BasicConstraints);
      basicConstraints = { ca: parsed.cA, pathLen: parsed.pathLenConstraint };
    } else if (extension.critical && !UNDERSTOOD_CRITICAL.has(extension.extnID)) {
      unknownCritical.push(extension.extnID);
    }
  }
  return {
    der,
    tbs: Buffer.from(cert.tbsCertificateRaw),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    serial: serialHex(Buffer.from(tbs.serialNumber)),
    issuer,
    subject,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    publicKey: publicKeyInfo(tbs.subjectPublicKeyInfo),
    signatureAlgorithm: sameAlgorithm(cert) ? SIGNATURE_ALGORITHMS[cert.signatureAlgorithm.algorithm] : undefined,
    signature: Buffer.from(cert.signatureValue),
    keyUsage,
    basicConstraints,
    unknownCritical,
    subjectUscc: usccIn(tbs.subject),
    selfIssued: issuer.der.equals(subject.der),
  };
}

/** RFC 5280 4.1.1.2: the outer and the signed algorithm identifiers must be the same. */
function sameAlgorithm(cert: Certificate): boolean {
  return cert.signatureAlgorithm.algorithm === cert.tbsCertificate.signature.algorithm;
}

export function publicKeyInfo(spki: SubjectPublicKeyInfo): PublicKeyInfo {
  const der = Buffer.from(AsnConvert.serialize(spki));
  const point = Buffer.from(spki.subjectPublicKey);
  if (spki.algorithm.algorithm === OID.rsaEncryption) return { algorithm: 'rsa', spki: der };
  if (spki.algorithm.algorithm === OID.sm2) return { algorithm: 'sm2', spki: der, curve: 'SM2', point: uncompressed(point, 'SM2') };
  if (spki.algorithm.algorithm === OID.ecPublicKey && spki.algorithm.parameters) {
    const curve = AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve;
    if (curve === OID.sm2) return { algorithm: 'sm2', spki: der, curve: 'SM2', point: uncompressed(point, 'SM2') };
    if (curve === OID.p256) return { algorithm: 'ecdsa', spki: der, curve: 'P-256', point: uncompressed(point, 'P-256') };
    if (curve === OID.p384) return { algorithm: 'ecdsa', spki: der, curve: 'P-384', point: uncompressed(point, 'P-384') };
  }
  throw invalid('证书的公钥算法不受支持（支持 RSA、ECDSA P-256/P-384、SM2）');
}

function uncompressed(point: Buffer, curve: 'P-256' | 'P-384' | 'SM2'): Buffer {
  const size = curve === 'P-384' ? 48 : 32;
  if (point.length !== 1 + 2 * size || point[0] !== 0x04) throw invalid('证书的公钥格式不受支持');
  return point;
}

function nameInfo(name: Name): NameInfo {
  const der = Buffer.from(AsnConvert.serialize(name));
  return { der, key: createHash('sha256').update(der).digest('hex'), text: nameText(name) };
}

/** `C=CN, O=…, CN=…`, in the order the certificate lists them. */
export function nameText(name: Name): string {
  return name
    .flatMap((rdn) => rdn.map((attribute) => `${NAME_ATTRIBUTES[attribute.type] ?? attribute.type}=${attribute.value.toString().replace(/[,+\\]/g, (c) => `\\${c}`)}`))
    .join(', ');
}

function usccIn(name: Name): string | undefined {
  for (const rdn of name) {
    for (const attribute of rdn) {
      const text = attribute.value.toString().toUpperCase();
      for (const match of text.matchAll(/[0-9A-HJ-NPQRTUWXY]{18}/g)) if (isValidUscc(match[0])) return match[0];
    }
  }
  return undefined;
}

export function serialHex(bytes: Buffer): string {
  const hex = bytes.toString('hex').toUpperCase().replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

/** A serial as people type it (`1A:2B…`, spaces, lower case, leading zeros): the stored form, or undefined. */
export function normaliseSerial(input: string): string | undefined {
  const hex = input.replace(/[\s:-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{1,64}$/.test(hex)) return undefined;
  return hex.replace(/^0+/, '') || '0';
}

/** The DER length the outer SEQUENCE claims, so trailing bytes after a certificate are refused. */
function outerLength(der: Buffer): number | undefined {
  if (der[0] !== 0x30 || der.length < 2) return undefined;
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 3 || der.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] ?? 0);
  return 2 + count + length;
}

function invalid(detail?: string) {
  return caException(CaErrorCode.CERTIFICATE_INVALID, detail, { certificate: detail ?? '无法识别该证书' });
}

/** The certificate as PEM (leaf first when given a chain). */
export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
