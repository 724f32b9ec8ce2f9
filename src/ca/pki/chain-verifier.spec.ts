import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppException } from '#src/errors/app-exception.js';
import { CaErrorCode } from '#src/ca/ca.exception.js';
import { verifyPath, verifyPossession, type TrustAnchor } from '#src/ca/pki/chain-verifier.js';
import { generateKey, loadPrivateKey } from '#src/ca/pki/keys.js';
import { testAuthority, testClient } from '#src/ca/pki/test-pki.js';
import { readCertificates, type KeyAlgorithm } from '#src/ca/pki/x509.js';
import { usccCheckCharacter } from '#src/identity/checks/uscc.js';

const USCC = `91430100MA4L0001X${usccCheckCharacter('91430100MA4L0001X') ?? ''}`;

const anchors = (...roots: Array<{ root: { parsed: TrustAnchor['certificate'] } }>): TrustAnchor[] => roots.map((r) => ({ certificate: r.root.parsed, vendorId: 'hunan-ca' }));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as AppException).code;
  }
  return undefined;
}

describe.each<KeyAlgorithm>(['rsa', 'ecdsa', 'sm2'])('certificate path and possession (%s)', (algorithm) => {
  const ca = testAuthority(algorithm, { intermediate: true });
  const client = testClient(ca, { unitName: '长沙测试医药有限公司', uscc: USCC });
  const now = new Date();

  it('accepts a leaf with its intermediate up to the trusted root, and a signature of the challenge', () => {
    const verified = verifyPath(readCertificates(client.pem), anchors(ca), now);
    expect(verified.path.map((c) => c.subject.text)).toEqual([client.certificate.parsed.subject.text, ca.issuer.parsed.subject.text, ca.root.parsed.subject.text]);
    expect(verified.vendorId).toBe('hunan-ca');
    expect(() => verifyPossession(verified.leaf, 'hunan:challenge', Buffer.from(client.sign('hunan:challenge'), 'base64'))).not.toThrow();
  });

  it('refuses a signature over another challenge, or by another key', () => {
    const leaf = readCertificates(client.pem)[0]!;
    expect(codeOf(() => verifyPossession(leaf, 'hunan:challenge', Buffer.from(client.sign('other'), 'base64')))).toBe(CaErrorCode.SIGNATURE_INVALID);
    const stranger = generateKey(algorithm);
    expect(codeOf(() => verifyPossession(leaf, 'x', stranger.sign(Buffer.from('x'))))).toBe(CaErrorCode.SIGNATURE_INVALID);
  });

  it('refuses a leaf without its intermediate (unknown issuer) and a root nobody trusts', () => {
    expect(codeOf(() => verifyPath(readCertificates(client.certificate.pem), anchors(ca), now))).toBe(CaErrorCode.UNKNOWN_ISSUER);
    expect(codeOf(() => verifyPath(readCertificates(client.pem), anchors(testAuthority(algorithm, { name: '别的根CA' })), now))).toBe(CaErrorCode.UNKNOWN_ISSUER);
  });

  it('refuses a certificate signed by a key other than its named issuer’s (broken chain)', () => {
    const forged = testClient(ca, { signWith: generateKey(algorithm) });
    expect(codeOf(() => verifyPath(readCertificates(forged.pem), anchors(ca), now))).toBe(CaErrorCode.CHAIN_BROKEN);
  });

  it('refuses an issuer that is not a CA (broken chain)', () => {
    const notCa = testClient(ca, { keyUsage: ['digitalSignature', 'keyCertSign'] });
    const below = testClient({ ...ca, issuer: notCa.certificate, issuerKey: notCa.key, chainPem: notCa.pem }, {});
    expect(codeOf(() => verifyPath(readCertificates(below.pem), anchors(ca), now))).toBe(CaErrorCode.CHAIN_BROKEN);
  });

  it('refuses expired and not yet valid leaves, and an expired root', () => {
    expect(codeOf(() => verifyPath(readCertificates(testClient(ca, { days: [-400, -1] }).pem), anchors(ca), now))).toBe(CaErrorCode.CERTIFICATE_EXPIRED);
    expect(codeOf(() => verifyPath(readCertificates(testClient(ca, { days: [1, 400] }).pem), anchors(ca), now))).toBe(CaErrorCode.CERTIFICATE_NOT_YET_VALID);
    const old = testAuthority(algorithm, { rootDays: [-800, -1] });
    expect(codeOf(() => verifyPath(readCertificates(testClient(old, { days: [-2, 300] }).pem), anchors(old), now))).toBe(CaErrorCode.CERTIFICATE_EXPIRED);
  });

  it('refuses a leaf without digitalSignature, and a CA certificate as the leaf (wrong key usage)', () => {
    expect(codeOf(() => verifyPath(readCertificates(testClient(ca, { keyUsage: ['keyEncipherment'] }).pem), anchors(ca), now))).toBe(CaErrorCode.KEY_USAGE);
    expect(codeOf(() => verifyPath(readCertificates(testClient(ca, { ca: {}, keyUsage: ['digitalSignature', 'keyCertSign'] }).pem), anchors(ca), now))).toBe(CaErrorCode.KEY_USAGE);
  });

  it('reads the credit code from the subject and the serial as CA tools print it', () => {
    const leaf = readCertificates(client.pem)[0]!;
    expect(leaf.subjectUscc).toBe(USCC);
    expect(leaf.serial).toMatch(/^[0-9A-F]{31,32}$/);
    expect(leaf.publicKey.algorithm).toBe(algorithm);
  });

  it('writes a private key it reads back to the same public key', () => {
    const again = loadPrivateKey(client.key.privatePem);
    expect(again.publicKey.spki.equals(client.key.publicKey.spki)).toBe(true);
    expect(() => verifyPossession(readCertificates(client.pem)[0]!, 'abc', again.sign(Buffer.from('abc')))).not.toThrow();
  });
});

describe('certificates made by the openssl command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pe-ca-openssl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

  it('an SM2 root made with -sm3 -sigopt distid:1234567812345678 verifies an SM2 leaf, and an openssl SM2 signature verifies', () => {
    openssl('ecparam', '-name', 'SM2', '-genkey', '-noout', '-out', 'root.key');
    openssl('req', '-x509', '-new', '-key', 'root.key', '-sm3', '-sigopt', 'distid:1234567812345678', '-subj', '/C=CN/O=OpenSSL SM2 CA/CN=OpenSSL SM2 Root', '-days', '30', '-out', 'root.pem', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('ecparam', '-name', 'SM2', '-genkey', '-noout', '-out', 'leaf.key');
    openssl('req', '-new', '-key', 'leaf.key', '-sm3', '-sigopt', 'distid:1234567812345678', '-subj', '/C=CN/O=Leaf/CN=Leaf', '-out', 'leaf.csr');
    writeFileSync(join(dir, 'leaf.ext'), 'keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n');
    openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-sm3', '-sigopt', 'distid:1234567812345678', '-vfyopt', 'distid:1234567812345678', '-days', '10', '-extfile', 'leaf.ext', '-out', 'leaf.pem');
    writeFileSync(join(dir, 'challenge.txt'), 'hunan:openssl-challenge');
    openssl('dgst', '-sm3', '-sign', 'leaf.key', '-sigopt', 'distid:1234567812345678', '-out', 'challenge.sig', 'challenge.txt');
    const root = readCertificates(readFileSync(join(dir, 'root.pem'), 'utf8'))[0]!;
    const verified = verifyPath(readCertificates(readFileSync(join(dir, 'leaf.pem'), 'utf8')), [{ certificate: root, vendorId: 'v' }], new Date());
    expect(verified.leaf.publicKey.algorithm).toBe('sm2');
    expect(() => verifyPossession(verified.leaf, 'hunan:openssl-challenge', readFileSync(join(dir, 'challenge.sig')))).not.toThrow();
    // And the key file openssl wrote signs here too (the CLI's `ca sign` reads such files).
    expect(() => verifyPossession(verified.leaf, 'x', loadPrivateKey(readFileSync(join(dir, 'leaf.key'), 'utf8')).sign(Buffer.from('x')))).not.toThrow();
  });
});
