/**
 * The profile's `session.singleDevice`: no shipped province sets it, so this file runs on a copy of
 * the profiles in which Hunan does — a new login ends the account's other hall sessions there.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { login, register, registrationDraft, seedRegistryUnit } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const profilesDir = mkdtempSync(join(tmpdir(), 'pe-single-device-'));
cpSync(resolve('provinces'), profilesDir, { recursive: true });
writeFileSync(join(profilesDir, 'hunan.yaml'), `${readFileSync(join(profilesDir, 'hunan.yaml'), 'utf8')}session:\n  singleDevice: true\n`);

const suite = useTestApp({ profilesDir });

afterAll(() => rmSync(profilesDir, { recursive: true, force: true }));

it('single device: a second login to Hunan ends the first session; Jilin (not single-device) keeps both', async () => {
  for (const [province, keepsFirst] of [['hunan', false], ['jilin', true]] as const) {
    const entry = await seedRegistryUnit(suite, province);
    const draft = registrationDraft(entry.uscc);
    expect((await register(suite.http, province, draft)).status).toBe(201);
    const first = request.agent(suite.http);
    const second = request.agent(suite.http);
    await login(first, suite.http, province, draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '');
    await login(second, suite.http, province, draft.unit.unitAccount ?? '', draft.unit.unitPassword ?? '');
    await second.get(`/api/v1/provinces/${province}/session`).expect(200);
    await first.get(`/api/v1/provinces/${province}/session`).expect(keepsFirst ? 200 : 401);
  }
});
