/**
 * CA steps of black-box tests: a dev trust folder the app is started with (the same folder the
 * CLI's `ca init` writes), challenges signed by test clients, and a unit that entered procurement.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { TestAuthority, TestClient } from '#src/ca/pki/test-pki.js';
import { devTrustFolder } from '#src/ca/trust-store.js';
import { registeredUnit, signedIn } from '#test/support/hall-journey.js';
import type { TestAppHandle } from '#test/support/test-app.js';

const api = (province: string) => `/api/v1/provinces/${province}`;

export function devTrustDir(): string {
  return mkdtempSync(join(tmpdir(), 'pe-ca-trust-'));
}

/** Trusts the authority's root for the province's vendor, as `npm run province -- ca init` does. */
export function trustRoot(dir: string, province: string, vendor: string, name: string, authority: TestAuthority): void {
  const folder = devTrustFolder(dir, province, vendor);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.pem`), authority.root.pem);
}

export async function challenge(http: Server, province: string): Promise<{ challengeId: string; challenge: string; expiresInSeconds: number }> {
  return (await request(http).post(`${api(province)}/ca-challenges`).expect(201)).body as { challengeId: string; challenge: string; expiresInSeconds: number };
}

/** {challengeId, certificate, signature} for a fresh challenge, signed by the client's key. */
export async function proof(http: Server, province: string, client: TestClient, pem = client.pem): Promise<{ challengeId: string; certificate: string; signature: string }> {
  const issued = await challenge(http, province);
  return { challengeId: issued.challengeId, certificate: pem, signature: client.sign(issued.challenge) };
}

/** A registered, certified unit whose main account (and, when asked, its first operator) entered procurement. */
export async function unitInProcurement(suite: TestAppHandle, province: string) {
  const unit = await registeredUnit(suite, province);
  const hall = await signedIn(suite, province, unit.account, unit.password);
  await hall.post(`${api(province)}/hall/certifications`).send({ roleType: 'manufacturer' }).expect(201);
  const enter = async (agent: request.Agent) => {
    const { ticket } = (await agent.post(`${api(province)}/hall/procurement-tickets`).expect(201)).body as { ticket: string };
    const tps = request.agent(suite.http);
    const res = await tps.post(`${api(province)}/procurement/sessions`).send({ ticket }).expect(201);
    return { tps, actor: (res.body as { actor: { accountId: string; kind: string } }).actor };
  };
  const main = await enter(hall);
  return {
    unit,
    hall,
    main,
    /** The unit's registered operator, entered through the hall too. */
    operator: async () => enter(await signedIn(suite, province, unit.mobile, unit.operatorPassword)),
  };
}
