/**
 * CA certificates in Hunan (HN-1, HN-8, HN-11, HN-12): certificates made here (Node's crypto for
 * RSA and ECDSA, sm-crypto for SM2), a dev trust folder holding the test roots (DEV_TOOLS on), the
 * hall login after the administrator's approval, the procurement login with its activation step,
 * 账号管理 CA绑定/CA解绑 and who may bind for whom, and a coded refusal for every way to fail.
 */
import fc from 'fast-check';
import request from 'supertest';
import { ManualClock } from '#src/clock/clock.js';
import { generateKey } from '#src/ca/pki/keys.js';
import { testAuthority, testClient, type TestClient } from '#src/ca/pki/test-pki.js';
import type { KeyAlgorithm } from '#src/ca/pki/x509.js';
import { challenge, devTrustDir, proof, trustRoot, unitInProcurement } from '#test/support/ca-journey.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import { createTestAdministrator, signedInAdmin } from '#test/support/province-admin.js';
import { useTestApp } from '#test/support/test-app.js';

const P = 'hunan';
const api = `/api/v1/provinces/${P}`;
const clock = new ManualClock();
const trustDir = devTrustDir();
const authorities = { rsa: testAuthority('rsa', { intermediate: true, name: '测试CA RSA' }), ecdsa: testAuthority('ecdsa', { name: '测试CA ECDSA' }), sm2: testAuthority('sm2', { intermediate: true, name: '测试CA SM2' }) };
for (const [name, authority] of Object.entries(authorities)) trustRoot(trustDir, P, 'hunan-ca', name, authority);
const suite = useTestApp({ caDevTrustDir: trustDir }, { clock });

type Unit = Awaited<ReturnType<typeof registeredUnit>>;

function clientOf(unit: Unit, algorithm: KeyAlgorithm, options: Parameters<typeof testClient>[1] = {}): TestClient {
  return testClient(authorities[algorithm], { unitName: unit.unit.unitName, uscc: unit.uscc, ...options });
}

async function hallCaLogin(client: TestClient, agent = request.agent(suite.http), pem = client.pem) {
  const res = await agent.post(`${api}/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, client, pem)) });
  return { res, agent };
}

/** HN-8 end to end: the unbound answer names the serial, the unit asks, the administrator approves. */
async function boundInHall(unit: Unit, client: TestClient): Promise<void> {
  const first = (await hallCaLogin(client)).res;
  expect(first.status).toBe(401);
  const { serial } = first.body as { serial: string };
  const hall = await signedIn(suite, P, unit.account, unit.password);
  const asked = await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: unit.unit.unitName, uscc: unit.uscc, serial }).expect(201);
  const admin = await signedInAdmin(suite, await createTestAdministrator(suite, P));
  await admin.post(`${api}/admin/ca-binding-requests/${(asked.body as { requestId: string }).requestId}/approval`).expect(200);
}

describe('CA challenges', () => {
  it('are random, short-lived and offered only where the province has a CA vendor', async () => {
    const a = await challenge(suite.http, P);
    const b = await challenge(suite.http, P);
    expect(a.challengeId).not.toBe(b.challengeId);
    expect(a.challenge).not.toBe(b.challenge);
    expect(a.challenge).toMatch(/^hunan:[\w-]{43}$/);
    expect(a.expiresInSeconds).toBe(300);
    const jilin = await request(suite.http).post('/api/v1/provinces/jilin/ca-challenges').expect(404);
    expect(jilin.body).toMatchObject({ code: 'CA_NOT_OFFERED' });
  });
});

describe.each<KeyAlgorithm>(['rsa', 'ecdsa', 'sm2'])('HN-1, HN-8: 机构登录 with a %s certificate', (algorithm) => {
  it('an unbound certificate is told its serial; after the administrator approves the request the unit account signs in with it', async () => {
    const unit = await registeredUnit(suite, P);
    const client = clientOf(unit, algorithm);
    const first = (await hallCaLogin(client)).res;
    expect(first.status).toBe(401);
    expect(first.body).toMatchObject({ code: 'CA_NOT_BOUND', serial: client.certificate.parsed.serial, message: expect.stringContaining(client.certificate.parsed.serial) as unknown });

    await boundInHall(unit, client);
    const { res, agent } = await hallCaLogin(client);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ actor: { kind: 'unit', account: unit.account } });
    expect((await agent.get(`${api}/session`).expect(200)).body).toMatchObject({ kind: 'unit', unit: { id: unit.unitId } });
  });
});

describe('HN-8: the hall binding request and its review', () => {
  it('shows the 24-working-hour promise and its due time, refuses a second pending request and details that are not the unit’s, and a rejection reason reaches the unit', async () => {
    const unit = await registeredUnit(suite, P);
    const client = clientOf(unit, 'sm2');
    const { serial } = (await hallCaLogin(client)).res.body as { serial: string };
    const hall = await signedIn(suite, P, unit.account, unit.password);

    const wrong = await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: '别的单位', uscc: unit.uscc, serial: 'ZZ' }).expect(400);
    expect(wrong.body).toMatchObject({ code: 'CA_REQUEST_INVALID', fields: { unitName: expect.any(String) as unknown, serial: expect.any(String) as unknown } });
    const unseen = await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: unit.unit.unitName, uscc: unit.uscc, serial: '0123ABCD' }).expect(400);
    expect(unseen.body).toMatchObject({ code: 'CA_CERTIFICATE_NOT_SEEN' });

    // Typed as people copy it from keyInfo: lower case, colons.
    const typed = serial.toLowerCase().replace(/(..)(?=.)/g, '$1:');
    const asked = await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: unit.unit.unitName, uscc: unit.uscc.toLowerCase(), serial: typed }).expect(201);
    const view = asked.body as { requestId: string; status: string; submittedAt: string; dueAt: string; serial: string; usccMatches: boolean };
    expect(view).toMatchObject({ status: 'pending', serial, usccMatches: true });
    expect(new Date(view.dueAt).getTime() - new Date(view.submittedAt).getTime()).toBeGreaterThanOrEqual(24 * 3600_000);
    await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: unit.unit.unitName, uscc: unit.uscc, serial }).expect(409);

    const state = (await hall.get(`${api}/hall/ca-binding-requests`).expect(200)).body as { promise: { hours: number; workingDaysOnly: boolean }; requests: Array<{ status: string }> };
    expect(state.promise).toMatchObject({ hours: 24, workingDaysOnly: true });

    const admin = await signedInAdmin(suite, await createTestAdministrator(suite, P));
    const queue = (await admin.get(`${api}/admin/ca-binding-requests`).expect(200)).body as { requests: Array<{ requestId: string; unitName: string }> };
    expect(queue.requests.find((r) => r.requestId === view.requestId)).toMatchObject({ unitName: unit.unit.unitName });
    await admin.post(`${api}/admin/ca-binding-requests/${view.requestId}/rejection`).send({}).expect(400);
    await admin.post(`${api}/admin/ca-binding-requests/${view.requestId}/rejection`).send({ reason: '证书序列号与湖南CA登记信息不符' }).expect(200);
    const again = await admin.post(`${api}/admin/ca-binding-requests/${view.requestId}/approval`).expect(409);
    expect(again.body).toMatchObject({ code: 'CA_REQUEST_DECIDED' });
    const seen = (await hall.get(`${api}/hall/ca-binding-requests`).expect(200)).body as { binding?: unknown; requests: Array<{ status: string; reason: string }> };
    expect(seen.binding).toBeUndefined();
    expect(seen.requests[0]).toMatchObject({ status: 'rejected', reason: '证书序列号与湖南CA登记信息不符' });
    expect((await hallCaLogin(client)).res.status).toBe(401);
  });

  it('an operator cannot ask for the unit, another province’s administrator sees nothing, and a certificate of another unit is refused', async () => {
    const unit = await registeredUnit(suite, P);
    const operator = await signedIn(suite, P, unit.mobile, unit.operatorPassword);
    expect((await operator.post(`${api}/hall/ca-binding-requests`).send({}).expect(403)).body).toMatchObject({ code: 'CA_UNIT_ACCOUNT_ONLY' });
    const other = await registeredUnit(suite, P);
    const foreign = clientOf(other, 'ecdsa');
    const { serial } = (await hallCaLogin(foreign)).res.body as { serial: string };
    const hall = await signedIn(suite, P, unit.account, unit.password);
    expect((await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: unit.unit.unitName, uscc: unit.uscc, serial }).expect(403)).body).toMatchObject({ code: 'CA_WRONG_UNIT' });
    const anhuiAdmin = await signedInAdmin(suite, await createTestAdministrator(suite, 'anhui'));
    await anhuiAdmin.get(`${api}/admin/ca-binding-requests`).expect(401);
  });
});

describe.each<KeyAlgorithm>(['sm2', 'rsa'])('HN-11: CA账号登录 at the procurement subsystem (%s)', (algorithm) => {
  it('an unbound certificate gets the activation step; 激活 binds it to the main account and signs in; then it signs in directly', async () => {
    const { unit, main } = await unitInProcurement(suite, P);
    const client = clientOf(unit, algorithm);
    const first = await request(suite.http).post(`${api}/procurement/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, client)) }).expect(409);
    const { activation } = first.body as { code: string; activation: { ticket: string; account: { accountId: string; login: string; unit: { uscc: string } }; certificate: { serial: string } } };
    expect(first.body).toMatchObject({ code: 'CA_ACTIVATION_REQUIRED' });
    expect(activation.account).toMatchObject({ accountId: main.actor.accountId, login: unit.account, unit: { uscc: unit.uscc } });
    expect(activation.certificate.serial).toBe(client.certificate.parsed.serial);

    const tps = request.agent(suite.http);
    const activated = await tps.post(`${api}/procurement/sessions`).send({ method: 'ca', activationTicket: activation.ticket }).expect(201);
    expect(activated.body).toMatchObject({ actor: { accountId: main.actor.accountId, isMainAccount: true, method: 'ca' } });
    const replay = await request(suite.http).post(`${api}/procurement/sessions`).send({ method: 'ca', activationTicket: activation.ticket }).expect(401);
    expect(replay.body).toMatchObject({ code: 'CA_ACTIVATION_INVALID' });

    const direct = await request(suite.http).post(`${api}/procurement/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, client)) }).expect(201);
    expect(direct.body).toMatchObject({ actor: { accountId: main.actor.accountId } });
    const list = (await tps.get(`${api}/procurement/ca-bindings`).expect(200)).body as { accounts: Array<{ accountId: string; binding?: { serial: string; via: string } }> };
    expect(list.accounts.find((a) => a.accountId === main.actor.accountId)?.binding).toMatchObject({ serial: client.certificate.parsed.serial, via: 'activation' });
  });
});

describe('HN-11 way 2, HN-12: 账号管理 CA绑定 and CA解绑', () => {
  it('the main account binds for itself and its sub-account; the sub-account manages only itself; a certificate binds one account', async () => {
    const { unit, main, operator } = await unitInProcurement(suite, P);
    const op = await operator();
    const mainCert = clientOf(unit, 'sm2');
    const opCert = clientOf(unit, 'ecdsa');

    const listed = (await main.tps.get(`${api}/procurement/ca-bindings`).expect(200)).body as { accounts: Array<{ accountId: string; kind: string; self: boolean }> };
    expect(listed.accounts.map((a) => a.accountId).sort()).toEqual([main.actor.accountId, op.actor.accountId].sort());

    const bound = await main.tps.post(`${api}/procurement/ca-bindings`).send({ ...(await proof(suite.http, P, mainCert)) }).expect(201);
    expect(bound.body).toMatchObject({ accountId: main.actor.accountId, binding: { serial: mainCert.certificate.parsed.serial, via: 'account-management' } });
    // HN-12: the main account binds its sub-account's certificate.
    await main.tps.post(`${api}/procurement/ca-bindings`).send({ accountId: op.actor.accountId, ...(await proof(suite.http, P, opCert)) }).expect(201);
    const signedInOp = await request(suite.http).post(`${api}/procurement/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, opCert)) }).expect(201);
    expect(signedInOp.body).toMatchObject({ actor: { accountId: op.actor.accountId, kind: 'operator' } });

    // A certificate already bound cannot be bound to another account; an account holds one certificate.
    const elsewhere = await main.tps.post(`${api}/procurement/ca-bindings`).send({ accountId: op.actor.accountId, ...(await proof(suite.http, P, mainCert)) }).expect(409);
    expect(elsewhere.body).toMatchObject({ code: 'CA_BOUND_ELSEWHERE' });
    const full = await main.tps.post(`${api}/procurement/ca-bindings`).send({ ...(await proof(suite.http, P, clientOf(unit, 'rsa'))) }).expect(409);
    expect(full.body).toMatchObject({ code: 'CA_ACCOUNT_ALREADY_BOUND' });

    // The sub-account sees and manages itself only.
    const own = (await op.tps.get(`${api}/procurement/ca-bindings`).expect(200)).body as { accounts: Array<{ accountId: string }> };
    expect(own.accounts.map((a) => a.accountId)).toEqual([op.actor.accountId]);
    expect((await op.tps.delete(`${api}/procurement/ca-bindings/${main.actor.accountId}`).expect(403)).body).toMatchObject({ code: 'CA_BINDING_NOT_ALLOWED' });
    await op.tps.post(`${api}/procurement/ca-bindings`).send({ accountId: main.actor.accountId, ...(await proof(suite.http, P, opCert)) }).expect(403);
    await op.tps.delete(`${api}/procurement/ca-bindings/${op.actor.accountId}`).expect(204);
    await op.tps.delete(`${api}/procurement/ca-bindings/${op.actor.accountId}`).expect(404);
    // The main account unbinds its own (CA解绑); its certificate then meets the activation step again.
    await main.tps.delete(`${api}/procurement/ca-bindings/${main.actor.accountId}`).expect(204);
    const again = await request(suite.http).post(`${api}/procurement/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, mainCert)) }).expect(409);
    expect(again.body).toMatchObject({ code: 'CA_ACTIVATION_REQUIRED' });
  });

  it('a certificate of another unit is refused, and another unit’s account cannot be named', async () => {
    const a = await unitInProcurement(suite, P);
    const b = await unitInProcurement(suite, P);
    const res = await a.main.tps.post(`${api}/procurement/ca-bindings`).send({ ...(await proof(suite.http, P, clientOf(b.unit, 'ecdsa'))) }).expect(403);
    expect(res.body).toMatchObject({ code: 'CA_WRONG_UNIT' });
    await a.main.tps.delete(`${api}/procurement/ca-bindings/${b.main.actor.accountId}`).expect(403);
    await request(suite.http).get(`${api}/procurement/ca-bindings`).expect(401);
  });
});

describe('refusals, each with its code', () => {
  let unit: Unit;
  let good: TestClient;
  beforeAll(async () => {
    unit = await registeredUnit(suite, P);
    good = clientOf(unit, 'sm2');
    await boundInHall(unit, good);
  });

  const refused = async (client: TestClient, code: string, pem?: string) => {
    const { res } = await hallCaLogin(client, undefined, pem);
    expect({ status: res.status, code: (res.body as { code: string }).code }).toEqual({ status: expect.any(Number) as unknown, code });
    expect(res.status).toBeLessThan(500);
  };

  it('CA_CERTIFICATE_EXPIRED and CA_CERTIFICATE_NOT_YET_VALID', async () => {
    await refused(clientOf(unit, 'rsa', { days: [-400, -1] }), 'CA_CERTIFICATE_EXPIRED');
    await refused(clientOf(unit, 'ecdsa', { days: [2, 400] }), 'CA_CERTIFICATE_NOT_YET_VALID');
  });

  it('CA_KEY_USAGE: an encryption certificate of a dual pair', async () => {
    await refused(clientOf(unit, 'sm2', { keyUsage: ['keyEncipherment', 'dataEncipherment'] }), 'CA_KEY_USAGE');
  });

  it('CA_UNKNOWN_ISSUER: a root nobody trusts, or the intermediate left out', async () => {
    await refused(testClient(testAuthority('ecdsa', { name: '别人的CA' }), { uscc: unit.uscc }), 'CA_UNKNOWN_ISSUER');
    const leafOnly = clientOf(unit, 'sm2');
    await refused(leafOnly, 'CA_UNKNOWN_ISSUER', leafOnly.certificate.pem);
  });

  it('CA_CHAIN_BROKEN: signed by a key that is not its issuer’s', async () => {
    await refused(clientOf(unit, 'rsa', { signWith: generateKey('rsa') }), 'CA_CHAIN_BROKEN');
  });

  it('CA_SIGNATURE_INVALID: the challenge signed by another key, or another text signed', async () => {
    const issued = await challenge(suite.http, P);
    const other = generateKey('sm2');
    const res = await request(suite.http).post(`${api}/sessions`).send({ method: 'ca', challengeId: issued.challengeId, certificate: good.pem, signature: other.sign(Buffer.from(issued.challenge)).toString('base64') }).expect(401);
    expect(res.body).toMatchObject({ code: 'CA_SIGNATURE_INVALID' });
    const again = await challenge(suite.http, P);
    await request(suite.http).post(`${api}/sessions`).send({ method: 'ca', challengeId: again.challengeId, certificate: good.pem, signature: good.sign('not the challenge') }).expect(401);
  });

  it('CA_CHALLENGE_INVALID: a challenge used twice, expired, or of another province', async () => {
    const body = { method: 'ca', ...(await proof(suite.http, P, good)) };
    await request(suite.http).post(`${api}/sessions`).send(body).expect(201);
    const replay = await request(suite.http).post(`${api}/sessions`).send(body).expect(401);
    expect(replay.body).toMatchObject({ code: 'CA_CHALLENGE_INVALID' });
    const late = { method: 'ca', ...(await proof(suite.http, P, good)) };
    clock.advanceSeconds(301);
    expect((await request(suite.http).post(`${api}/sessions`).send(late).expect(401)).body).toMatchObject({ code: 'CA_CHALLENGE_INVALID' });
    const anhui = await request(suite.http).post('/api/v1/provinces/anhui/ca-challenges');
    expect(anhui.status).toBe(404);
  });

  it('CA_BOUND_ELSEWHERE: a certificate bound to one unit cannot be approved for another', async () => {
    const other = await registeredUnit(suite, P);
    const hall = await signedIn(suite, P, other.account, other.password);
    // The subject names no unit, so only the binding stands in the way.
    const shared = testClient(authorities.ecdsa, { unitName: '无信用代码' });
    await boundInHall(unit, shared).catch(() => undefined);
    const res = await hall.post(`${api}/hall/ca-binding-requests`).send({ unitName: other.unit.unitName, uscc: other.uscc, serial: shared.certificate.parsed.serial });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CA_BOUND_ELSEWHERE' });
  });

  it('CA_REQUEST_INVALID and CA_CERTIFICATE_INVALID for missing or garbage fields, never a 500 (fast-check)', async () => {
    const empty = await request(suite.http).post(`${api}/sessions`).send({ method: 'ca' }).expect(400);
    expect(empty.body).toMatchObject({ code: 'CA_REQUEST_INVALID', fields: { challengeId: expect.any(String) as unknown, certificate: expect.any(String) as unknown, signature: expect.any(String) as unknown } });
    const garbage = await request(suite.http).post(`${api}/sessions`).send({ method: 'ca', ...(await proof(suite.http, P, good)), certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }).expect(400);
    expect(garbage.body).toMatchObject({ code: 'CA_CERTIFICATE_INVALID' });
    await fc.assert(
      fc.asyncProperty(fc.record({ challengeId: fc.oneof(fc.string(), fc.uuid(), fc.constant(undefined)), certificate: fc.oneof(fc.string(), fc.constant(good.pem.slice(0, 200)), fc.integer()), signature: fc.oneof(fc.base64String(), fc.string()) }), async (body) => {
        const res = await request(suite.http).post(`${api}/sessions`).send({ method: 'ca', ...body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const tps = await request(suite.http).post(`${api}/procurement/sessions`).send({ method: 'ca', ...body });
        expect(tps.status).toBeLessThan(500);
      }),
      { numRuns: 25 },
    );
  });
});
