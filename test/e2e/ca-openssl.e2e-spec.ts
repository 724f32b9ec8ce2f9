/**
 * Certificates made by the openssl command line (OpenSSL 3), trusted the production way: the roots
 * go into a copy of the profiles, Hunan's `caVendors[].trustedRootsPem`, and the dev trust folder is
 * empty. SM2 (`ecparam -name SM2`, `-sm3 -sigopt distid:1234567812345678`), RSA and ECDSA P-256
 * leaves signed by their roots; the challenge signed by `openssl dgst`, as a USB-key driver would.
 * HN-1 and HN-8 in the hall, HN-11 in procurement.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { challenge, devTrustDir, unitInProcurement } from '#test/support/ca-journey.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { createTestAdministrator, signedInAdmin } from '#test/support/province-admin.js';
import { useTestApp } from '#test/support/test-app.js';

type Algorithm = 'sm2' | 'rsa' | 'ecdsa';

const P = 'hunan';
const api = `/api/v1/provinces/${P}`;
const work = mkdtempSync(join(tmpdir(), 'pe-ca-openssl-e2e-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
const SM3 = ['-sm3', '-sigopt', 'distid:1234567812345678'];

function newKey(algorithm: Algorithm, file: string): void {
  if (algorithm === 'sm2') openssl('ecparam', '-name', 'SM2', '-genkey', '-noout', '-out', file);
  else if (algorithm === 'ecdsa') openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file);
  else openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file);
}

const digest = (algorithm: Algorithm) => (algorithm === 'sm2' ? SM3 : ['-sha256']);

// Roots made before the app starts, put into the profile copy the app reads.
for (const algorithm of ['sm2', 'rsa', 'ecdsa'] as const) {
  newKey(algorithm, `${algorithm}-root.key`);
  openssl('req', '-x509', '-new', '-key', `${algorithm}-root.key`, ...digest(algorithm), '-subj', `/C=CN/O=OpenSSL Test CA/CN=OpenSSL ${algorithm} Root`, '-days', '30', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', `${algorithm}-root.pem`);
}
const profilesDir = join(work, 'provinces');
cpSync(resolve('provinces'), profilesDir, { recursive: true });
const roots = (['sm2', 'rsa', 'ecdsa'] as const).map((a) => readFileSync(join(work, `${a}-root.pem`), 'utf8'));
const hunanYaml = readFileSync(join(profilesDir, 'hunan.yaml'), 'utf8');
const rootsYaml = roots.map((pem) => `      - |\n${pem.trim().split('\n').map((line) => `        ${line}`).join('\n')}\n`).join('');
writeFileSync(join(profilesDir, 'hunan.yaml'), hunanYaml.replace('    trustedRootsPem: []\n', `    trustedRootsPem:\n${rootsYaml}`));

const suite = useTestApp({ profilesDir, caDevTrustDir: devTrustDir() });

let sequence = 0;

/** A signing certificate for the unit (its credit code in the subject's serialNumber), made by openssl. */
function leafFor(algorithm: Algorithm, unit: { unitName: string; uscc: string }): { pem: string; key: string; serial: string } {
  sequence += 1;
  const name = `${algorithm}-leaf-${sequence}`;
  newKey(algorithm, `${name}.key`);
  openssl('req', '-new', '-utf8', '-key', `${name}.key`, ...digest(algorithm), '-subj', `/C=CN/O=${unit.unitName}/serialNumber=${unit.uscc}/CN=${unit.unitName}`, '-out', `${name}.csr`);
  writeFileSync(join(work, `${name}.ext`), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
  const vfy = algorithm === 'sm2' ? ['-vfyopt', 'distid:1234567812345678'] : [];
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${algorithm}-root.pem`, '-CAkey', `${algorithm}-root.key`, '-CAcreateserial', ...digest(algorithm), ...vfy, '-days', '10', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  const serial = execFileSync('openssl', ['x509', '-in', `${name}.pem`, '-noout', '-serial'], { cwd: work }).toString().trim().replace(/^serial=/, '').replace(/^0+/, '');
  return { pem: readFileSync(join(work, `${name}.pem`), 'utf8'), key: `${name}.key`, serial };
}

/** `openssl dgst -sign` over the challenge's bytes, base64 of the DER signature. */
function opensslSignature(algorithm: Algorithm, key: string, text: string): string {
  sequence += 1;
  const file = `challenge-${sequence}.txt`;
  writeFileSync(join(work, file), text);
  return openssl('dgst', ...digest(algorithm), '-sign', key, file).toString('base64');
}

async function caBody(algorithm: Algorithm, leaf: { pem: string; key: string }) {
  const issued = await challenge(suite.http, P);
  return { method: 'ca', challengeId: issued.challengeId, certificate: leaf.pem, signature: opensslSignature(algorithm, leaf.key, issued.challenge) };
}

describe.each<Algorithm>(['sm2', 'rsa', 'ecdsa'])('openssl-made %s certificates, roots in the profile', (algorithm) => {
  it('HN-1, HN-8: the serial the unbound login names is the one openssl printed; after approval the unit account signs in', async () => {
    const unit = await registeredUnit(suite, P);
    const leaf = leafFor(algorithm, { unitName: unit.unit.unitName ?? '', uscc: unit.uscc });
    const unbound = await request(suite.http).post(`${api}/sessions`).send(await caBody(algorithm, leaf)).expect(401);
    expect(unbound.body).toMatchObject({ code: 'CA_NOT_BOUND', serial: leaf.serial.toUpperCase() });

    const hall = await signedIn(suite, P, unit.account, unit.password);
    const asked = await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: unit.unit.unitName, uscc: unit.uscc, serial: leaf.serial }).expect(201);
    expect(asked.body).toMatchObject({ usccMatches: true });
    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, P));
    await admin.post(`${api}/admin/ca-binding-requests/${(asked.body as { requestId: string }).requestId}/approval`).expect(200);

    const res = await request(suite.http).post(`${api}/sessions`).send(await caBody(algorithm, leaf)).expect(201);
    expect(res.body).toMatchObject({ actor: { kind: 'unit', account: unit.account } });
  });
});

describe('openssl-made SM2 certificate at the procurement subsystem', () => {
  it('HN-11: 激活 binds it to the main account, then it signs in directly', async () => {
    const { unit, main } = await unitInProcurement(suite, P);
    const leaf = leafFor('sm2', { unitName: unit.unit.unitName ?? '', uscc: unit.uscc });
    const offered = await request(suite.http).post(`${api}/procurement/sessions`).send(await caBody('sm2', leaf)).expect(409);
    const { activation } = offered.body as { activation: { ticket: string; account: { accountId: string } } };
    expect(activation.account.accountId).toBe(main.actor.accountId);
    await request(suite.http).post(`${api}/procurement/sessions`).send({ method: 'ca', activationTicket: activation.ticket }).expect(201);
    const direct = await request(suite.http).post(`${api}/procurement/sessions`).send(await caBody('sm2', leaf)).expect(201);
    expect(direct.body).toMatchObject({ actor: { accountId: main.actor.accountId, method: 'ca' } });
  });
});
