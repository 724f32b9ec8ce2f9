/**
 * A small PKI for specs and e2e tests (and the shape the CLI's test CA has): a root, optionally an
 * intermediate, and leaves, for any of the three algorithms. Dates are relative to `now`.
 */
import { issueCertificate, type CertificateSpec, type IssuedCertificate, type NameSpec } from '#src/ca/pki/certificate-builder.js';
import { generateKey, type SigningKey } from '#src/ca/pki/keys.js';
import type { KeyAlgorithm } from '#src/ca/pki/x509.js';

const DAY = 86_400_000;

export interface TestAuthority {
  root: IssuedCertificate;
  rootKey: SigningKey;
  /** The CA that signs leaves: the intermediate when there is one. */
  issuer: IssuedCertificate;
  issuerKey: SigningKey;
  /** PEMs a client sends after its leaf (the intermediate, if any). */
  chainPem: string;
}

export function testAuthority(algorithm: KeyAlgorithm, options: { name?: string; intermediate?: boolean; now?: Date; rootDays?: [number, number] } = {}): TestAuthority {
  const now = options.now ?? new Date();
  const name = options.name ?? `测试根CA ${algorithm}`;
  const rootKey = generateKey(algorithm);
  const [from, to] = options.rootDays ?? [-30, 3650];
  const root = issueCertificate({ subject: [['C', 'CN'], ['O', '湖南测试CA'], ['CN', name]], key: rootKey, notBefore: new Date(now.getTime() + from * DAY), notAfter: new Date(now.getTime() + to * DAY), ca: {} });
  if (!options.intermediate) return { root, rootKey, issuer: root, issuerKey: rootKey, chainPem: '' };
  const issuerKey = generateKey(algorithm);
  const issuer = issueCertificate({
    subject: [['C', 'CN'], ['O', '湖南测试CA'], ['CN', `${name} 中级`]],
    key: issuerKey,
    issuer: { certificate: root.parsed, key: rootKey },
    notBefore: new Date(now.getTime() - 30 * DAY),
    notAfter: new Date(now.getTime() + 1825 * DAY),
    ca: { pathLen: 0 },
  });
  return { root, rootKey, issuer, issuerKey, chainPem: issuer.pem };
}

export interface TestClient {
  certificate: IssuedCertificate;
  key: SigningKey;
  /** Leaf PEM followed by the intermediates: what a client posts. */
  pem: string;
  sign(challenge: string): string;
}

export function testClient(
  authority: TestAuthority,
  options: { algorithm?: KeyAlgorithm; unitName?: string; uscc?: string; now?: Date; days?: [number, number] } & Partial<Pick<CertificateSpec, 'keyUsage' | 'ca' | 'signWith'>> = {},
): TestClient {
  const now = options.now ?? new Date();
  const key = generateKey(options.algorithm ?? authority.issuerKey.algorithm);
  const [from, to] = options.days ?? [-1, 365];
  const subject: NameSpec = [['C', 'CN'], ['O', options.unitName ?? '测试单位'], ...(options.uscc ? ([['serialNumber', options.uscc]] as const) : []), ['CN', options.unitName ?? '测试单位']];
  const certificate = issueCertificate({
    subject,
    key,
    issuer: { certificate: authority.issuer.parsed, key: authority.issuerKey },
    notBefore: new Date(now.getTime() + from * DAY),
    notAfter: new Date(now.getTime() + to * DAY),
    keyUsage: options.keyUsage,
    ca: options.ca,
    signWith: options.signWith,
  });
  return { certificate, key, pem: certificate.pem + authority.chainPem, sign: (challenge) => key.sign(Buffer.from(challenge, 'utf8')).toString('base64') };
}
