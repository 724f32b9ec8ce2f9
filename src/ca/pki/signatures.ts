/**
 * Signature checks for the three algorithms: RSA PKCS#1 v1.5 and ECDSA through Node's crypto,
 * SM2-with-SM3 (GM/T 0003, the Z value over the default signer id of GM/T 0009) through sm-crypto.
 * Any failure to even read a key or a signature is simply "does not verify".
 */
import { constants, createPublicKey, verify } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { SM2_DEFAULT_USER_ID } from '#src/ca/pki/oids.js';
import type { KeyAlgorithm, PublicKeyInfo, SignatureAlgorithm } from '#src/ca/pki/x509.js';

const { sm2 } = smCrypto;

const KEY_OF: Readonly<Record<SignatureAlgorithm, KeyAlgorithm>> = {
  'rsa-sha256': 'rsa',
  'rsa-sha384': 'rsa',
  'rsa-sha512': 'rsa',
  'ecdsa-sha256': 'ecdsa',
  'ecdsa-sha384': 'ecdsa',
  'sm2-sm3': 'sm2',
};

const HASH_OF: Readonly<Record<Exclude<SignatureAlgorithm, 'sm2-sm3'>, string>> = {
  'rsa-sha256': 'sha256',
  'rsa-sha384': 'sha384',
  'rsa-sha512': 'sha512',
  'ecdsa-sha256': 'sha256',
  'ecdsa-sha384': 'sha384',
};

/** RSA keys below this are refused outright (and huge ones would only cost time). */
const RSA_BITS = { min: 2048, max: 8192 };

/** The algorithm a challenge is signed with, by the leaf's key (DESIGN.md, the CA contract). */
export function challengeAlgorithm(key: PublicKeyInfo): SignatureAlgorithm | undefined {
  if (key.algorithm === 'rsa') return 'rsa-sha256';
  if (key.algorithm === 'sm2') return 'sm2-sm3';
  return key.curve === 'P-256' ? 'ecdsa-sha256' : undefined;
}

export function verifySignature(key: PublicKeyInfo, algorithm: SignatureAlgorithm, data: Buffer, signature: Buffer): boolean {
  if (KEY_OF[algorithm] !== key.algorithm || signature.length === 0 || signature.length > 1024) return false;
  try {
    if (algorithm === 'sm2-sm3') return verifySm2(key, data, signature);
    const publicKey = createPublicKey({ key: key.spki, format: 'der', type: 'spki' });
    if (algorithm.startsWith('rsa')) {
      const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < RSA_BITS.min || bits > RSA_BITS.max) return false;
      return verify(HASH_OF[algorithm], data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    // A driver that hands over r‖s instead of DER is read as such (64 or 96 bytes, never valid DER).
    const raw = signature[0] !== 0x30 && signature.length === (key.curve === 'P-384' ? 96 : 64);
    return verify(HASH_OF[algorithm], data, { key: publicKey, dsaEncoding: raw ? 'ieee-p1363' : 'der' }, signature);
  } catch {
    return false;
  }
}

function verifySm2(key: PublicKeyInfo, data: Buffer, signature: Buffer): boolean {
  if (!key.point) return false;
  const raw = signature[0] !== 0x30 && signature.length === 64;
  return sm2.doVerifySignature(Array.from(data), signature.toString('hex'), key.point.toString('hex'), { der: !raw, hash: true, userId: SM2_DEFAULT_USER_ID });
}
