import fc from 'fast-check';
import { AppException } from '#src/errors/app-exception.js';
import { verifyPath, verifyPossession } from '#src/ca/pki/chain-verifier.js';
import { testAuthority, testClient } from '#src/ca/pki/test-pki.js';
import { readCertificates, toPem } from '#src/ca/pki/x509.js';

/** Whatever a client sends, the verifier answers with a coded refusal (a 4xx), never anything else. */
function onlyCodedRefusals(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof AppException && error.status >= 400 && error.status < 500 && String(error.code).startsWith('CA_')) return true;
    throw error;
  }
}

describe('CA verifier under garbage input', () => {
  const authorities = (['rsa', 'ecdsa', 'sm2'] as const).map((algorithm) => testAuthority(algorithm, { intermediate: true }));
  const clients = authorities.map((ca) => testClient(ca));
  const anchors = authorities.map((ca) => ({ certificate: ca.root.parsed, vendorId: 'v' }));
  const now = new Date();

  it('arbitrary text as the certificate', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.string().map((s) => `-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----`)), (text) => onlyCodedRefusals(() => verifyPath(readCertificates(text), anchors, now))),
      { numRuns: 300 },
    );
  });

  it('a real certificate with bytes flipped, cut or appended', () => {
    const ders = clients.map((c) => c.certificate.der);
    fc.assert(
      fc.property(
        fc.constantFrom(...ders),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        // Mostly whole certificates (mutations inside a well-formed one reach the signature checks).
        fc.constantFrom(0, 0, 0, 1, 2),
        fc.oneof(fc.constant(new Uint8Array()), fc.constant(new Uint8Array()), fc.uint8Array({ maxLength: 8 })),
        (der, flips, cut, tail) => {
          const bytes = Buffer.from(der);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const mutated = Buffer.concat([bytes.subarray(0, bytes.length - cut), Buffer.from(tail)]);
          return onlyCodedRefusals(() => verifyPath(readCertificates(toPem(mutated)), anchors, now));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary signatures over a challenge', () => {
    const leaves = clients.map((c) => readCertificates(c.pem)[0]!);
    fc.assert(
      fc.property(fc.constantFrom(...leaves), fc.uint8Array({ maxLength: 600 }), fc.string(), (leaf, signature, challenge) => onlyCodedRefusals(() => verifyPossession(leaf, challenge, Buffer.from(signature)))),
      { numRuns: 150 },
    );
  });
});
