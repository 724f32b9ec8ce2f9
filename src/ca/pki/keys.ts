/**
 * Key pairs for the test CA and the clients that stand in for USB keys (`npm run province -- ca`):
 * RSA and ECDSA P-256 from Node's crypto, SM2 from sm-crypto. SM2 private keys are written as
 * PKCS#8 with the SM2 curve, as `openssl genpkey -algorithm SM2` writes them, so OpenSSL reads
 * them too; they are read back here (PKCS#8 or SEC1) without ever passing through Node's crypto.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { ECParameters, ECPrivateKey } from '@peculiar/asn1-ecc';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import smCrypto from 'sm-crypto';
import { OID, SM2_DEFAULT_USER_ID } from '#src/ca/pki/oids.js';
import { challengeAlgorithm } from '#src/ca/pki/signatures.js';
import { publicKeyInfo, type KeyAlgorithm, type PublicKeyInfo, type SignatureAlgorithm } from '#src/ca/pki/x509.js';

const { sm2 } = smCrypto;

export interface SigningKey {
  algorithm: KeyAlgorithm;
  publicKey: PublicKeyInfo;
  /** What this key signs certificates and challenges with. */
  signatureAlgorithm: SignatureAlgorithm;
  sign(data: Buffer): Buffer;
  /** PKCS#8 PEM. */
  privatePem: string;
}

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['sm2', 'ecdsa', 'rsa'];

export function generateKey(algorithm: KeyAlgorithm): SigningKey {
  if (algorithm === 'sm2') {
    const pair = sm2.generateKeyPairHex();
    return sm2Key(pair.privateKey.padStart(64, '0'), Buffer.from(pair.publicKey, 'hex'));
  }
  const { privateKey } = algorithm === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return nodeKey(privateKey);
}

/** A private key file as OpenSSL or this CLI wrote it: PKCS#8 (`PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`). */
export function loadPrivateKey(pem: string): SigningKey {
  const block = /-----BEGIN (PRIVATE KEY|EC PRIVATE KEY|RSA PRIVATE KEY)-----([A-Za-z0-9+/=\s]+)-----END \1-----/.exec(pem);
  if (!block) throw new Error('不是 PEM 格式的私钥（PRIVATE KEY 或 EC PRIVATE KEY）');
  const der = Buffer.from((block[2] ?? '').replace(/\s+/g, ''), 'base64');
  if (block[1] === 'PRIVATE KEY') {
    const info = AsnConvert.parse(der, PrivateKeyInfo);
    const algorithm = info.privateKeyAlgorithm;
    if (algorithm.algorithm === OID.sm2 || (algorithm.algorithm === OID.ecPublicKey && algorithm.parameters && curveOf(algorithm.parameters) === OID.sm2)) {
      return fromEcPrivateKey(AsnConvert.parse(info.privateKey.buffer, ECPrivateKey));
    }
  } else if (block[1] === 'EC PRIVATE KEY') {
    const ec = AsnConvert.parse(der, ECPrivateKey);
    if (ec.parameters?.namedCurve === OID.sm2) return fromEcPrivateKey(ec);
  }
  return nodeKey(createPrivateKey(pem));
}

function curveOf(parameters: ArrayBuffer): string | undefined {
  return AsnConvert.parse(parameters, ECParameters).namedCurve;
}

function fromEcPrivateKey(ec: ECPrivateKey): SigningKey {
  const d = Buffer.from(ec.privateKey.buffer).toString('hex').padStart(64, '0');
  const point = ec.publicKey ? Buffer.from(ec.publicKey) : Buffer.from(sm2PublicFromPrivate(d), 'hex');
  return sm2Key(d, point);
}

/** sm-crypto computes it; its published types predate the function. */
function sm2PublicFromPrivate(d: string): string {
  const withDerivation = sm2 as typeof sm2 & { getPublicKeyFromPrivateKey(privateKey: string): string };
  return withDerivation.getPublicKeyFromPrivateKey(d);
}

function sm2Key(d: string, point: Buffer): SigningKey {
  const spki = new SubjectPublicKeyInfo({ algorithm: new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: AsnConvert.serialize(new ECParameters({ namedCurve: OID.sm2 })) }), subjectPublicKey: new Uint8Array(point).buffer });
  const publicKey = publicKeyInfo(spki);
  const pointHex = point.toString('hex');
  const ecPrivate = new ECPrivateKey({ version: 1, privateKey: new OctetString(Buffer.from(d, 'hex')), publicKey: new Uint8Array(point).buffer });
  const info = new PrivateKeyInfo({
    version: 0,
    privateKeyAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: AsnConvert.serialize(new ECParameters({ namedCurve: OID.sm2 })) }),
    privateKey: new OctetString(AsnConvert.serialize(ecPrivate)),
  });
  return {
    algorithm: 'sm2',
    publicKey,
    signatureAlgorithm: 'sm2-sm3',
    sign: (data) => Buffer.from(sm2.doSignature(Array.from(data), d, { der: true, hash: true, publicKey: pointHex, userId: SM2_DEFAULT_USER_ID }), 'hex'),
    privatePem: pem('PRIVATE KEY', Buffer.from(AsnConvert.serialize(info))),
  };
}

function nodeKey(privateKey: KeyObject): SigningKey {
  const type = privateKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw new Error('私钥算法不受支持（支持 RSA、ECDSA P-256、SM2）');
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = publicKeyInfo(AsnConvert.parse(spki, SubjectPublicKeyInfo));
  const algorithm = challengeAlgorithm(publicKey);
  if (!algorithm) throw new Error('ECDSA 私钥须使用 P-256 曲线');
  return {
    algorithm: publicKey.algorithm,
    publicKey,
    signatureAlgorithm: algorithm,
    sign: (data) => sign('sha256', data, type === 'rsa' ? { key: privateKey, padding: constants.RSA_PKCS1_PADDING } : { key: privateKey, dsaEncoding: 'der' }),
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
