/**
 * The certificate path check (RFC 5280 section 6, the parts a login needs): from the leaf through
 * the intermediates the client sent to one of the vendor's trusted roots, each link by issuer name
 * and the issuer's signature; then every certificate's validity dates, CA basic constraints and
 * keyCertSign on the issuers (with path length limits), digitalSignature on the leaf. Pure: the
 * caller passes the roots and the time.
 */
import { caException, CaErrorCode } from '#src/ca/ca.exception.js';
import { challengeAlgorithm, verifySignature } from '#src/ca/pki/signatures.js';
import type { ParsedCertificate } from '#src/ca/pki/x509.js';

export interface TrustAnchor {
  certificate: ParsedCertificate;
  /** Which vendor of the profile trusts it. */
  vendorId: string;
}

export interface VerifiedPath {
  leaf: ParsedCertificate;
  /** Leaf first, root last. */
  path: ParsedCertificate[];
  vendorId: string;
}

const MAX_DEPTH = 6;

export function verifyPath(presented: readonly ParsedCertificate[], anchors: readonly TrustAnchor[], at: Date): VerifiedPath {
  const [leaf, ...intermediates] = presented;
  if (!leaf) throw caException(CaErrorCode.REQUEST_INVALID, '请提交证书', { certificate: '请粘贴证书（PEM 格式）' });
  const { path, vendorId } = buildPath(leaf, intermediates, anchors);
  for (const certificate of path) checkDates(certificate, certificate === leaf, at);
  path.forEach((certificate, index) => {
    if (certificate.unknownCritical.length > 0) throw caException(CaErrorCode.CERTIFICATE_INVALID, `证书含有无法识别的关键扩展（${certificate.unknownCritical.join('、')}）`);
    if (index > 0) checkIssuer(certificate, index);
  });
  checkLeafUsage(leaf);
  return { leaf, path, vendorId };
}

/** Proof of possession: the leaf's key signed the challenge's UTF-8 bytes. */
export function verifyPossession(leaf: ParsedCertificate, challenge: string, signature: Buffer): void {
  const algorithm = challengeAlgorithm(leaf.publicKey);
  if (!algorithm || !verifySignature(leaf.publicKey, algorithm, Buffer.from(challenge, 'utf8'), signature)) throw caException(CaErrorCode.SIGNATURE_INVALID);
}

function buildPath(leaf: ParsedCertificate, intermediates: readonly ParsedCertificate[], anchors: readonly TrustAnchor[]): { path: ParsedCertificate[]; vendorId: string } {
  const path = [leaf];
  const used = new Set([leaf.fingerprint]);
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    // A trusted root presented as a leaf or intermediate is its own anchor.
    const itself = anchors.find((a) => a.certificate.fingerprint === current.fingerprint);
    if (itself && current !== leaf) return { path, vendorId: itself.vendorId };
    if (!current.signatureAlgorithm) throw caException(CaErrorCode.CERTIFICATE_INVALID, '证书的签名算法不受支持（支持 SHA-256 RSA、ECDSA 与 SM2-with-SM3）');
    const byName = (c: ParsedCertificate) => c.subject.der.equals(current.issuer.der);
    const signedBy = (c: ParsedCertificate) => current.signatureAlgorithm !== undefined && verifySignature(c.publicKey, current.signatureAlgorithm, current.tbs, current.signature);
    const anchorNamed = anchors.filter((a) => byName(a.certificate) && !used.has(a.certificate.fingerprint));
    const anchor = anchorNamed.find((a) => signedBy(a.certificate));
    if (anchor) {
      path.push(anchor.certificate);
      return { path, vendorId: anchor.vendorId };
    }
    const named = intermediates.filter((c) => byName(c) && !used.has(c.fingerprint));
    const next = named.find(signedBy);
    if (!next) {
      if (anchorNamed.length > 0 || named.length > 0) throw caException(CaErrorCode.CHAIN_BROKEN, `证书链校验失败：签发者“${current.issuer.text}”的签名与证书不符`);
      throw caException(CaErrorCode.UNKNOWN_ISSUER, `证书的签发者“${current.issuer.text}”不是本省认可的 CA，或缺少中间证书`);
    }
    path.push(next);
    used.add(next.fingerprint);
    current = next;
  }
  throw caException(CaErrorCode.CHAIN_BROKEN, '证书链过长');
}

function checkDates(certificate: ParsedCertificate, isLeaf: boolean, at: Date): void {
  const whose = isLeaf ? '证书' : `签发者证书（${certificate.subject.text}）`;
  if (at.getTime() < certificate.notBefore.getTime()) throw caException(CaErrorCode.CERTIFICATE_NOT_YET_VALID, `${whose}尚未生效（${certificate.notBefore.toISOString()} 起有效）`, undefined, { notBefore: certificate.notBefore.toISOString() });
  if (at.getTime() > certificate.notAfter.getTime()) throw caException(CaErrorCode.CERTIFICATE_EXPIRED, `${whose}已于 ${certificate.notAfter.toISOString()} 过期，请联系 CA 厂商更新证书`, undefined, { notAfter: certificate.notAfter.toISOString() });
}

/** `index` counts from the leaf (1 = the leaf's issuer): the CA certificates between it and the leaf are index - 1. */
function checkIssuer(certificate: ParsedCertificate, index: number): void {
  const who = `签发者“${certificate.subject.text}”`;
  if (certificate.basicConstraints?.ca !== true) throw caException(CaErrorCode.CHAIN_BROKEN, `证书链校验失败：${who}不是 CA 证书`);
  if (certificate.keyUsage && !certificate.keyUsage.has('keyCertSign')) throw caException(CaErrorCode.CHAIN_BROKEN, `证书链校验失败：${who}的密钥用法不含证书签发`);
  const pathLen = certificate.basicConstraints.pathLen;
  if (pathLen !== undefined && index - 1 > pathLen) throw caException(CaErrorCode.CHAIN_BROKEN, `证书链校验失败：${who}的路径长度限制为 ${pathLen}`);
}

function checkLeafUsage(leaf: ParsedCertificate): void {
  if (leaf.basicConstraints?.ca === true) throw caException(CaErrorCode.KEY_USAGE, 'CA 证书不能用于登录，请插入签名证书');
  if (leaf.keyUsage && !leaf.keyUsage.has('digitalSignature')) throw caException(CaErrorCode.KEY_USAGE, `该证书的密钥用法为“${[...leaf.keyUsage].join('、') || '无'}”，不含数字签名（digitalSignature）：请插入签名证书`);
}
