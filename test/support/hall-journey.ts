/**
 * The black-box steps of a unit's journey, as a newcomer would take them on `npm start`: solve the
 * captcha (its answer read through the dev tools), request an SMS code and read it from the dev
 * outbox, register, log in. Credit codes come from a generator and are put into the national
 * registry through its import port, so every test registers a unit nobody else uses.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import type { ManualClock } from '#src/clock/clock.js';
import { residentIdCheckDigit } from '#src/identity/checks/cn-id-number.js';
import { usccCheckCharacter } from '#src/identity/checks/uscc.js';
import { NATIONAL_REGISTRY, type NationalRegistryImporter, type RegistryEntry, type RegistryInstitution } from '#src/national-registry/national-registry.port.js';
import type { TestAppHandle } from '#test/support/test-app.js';

/** The app's HTTP server, or the base URL of a running one (a node or the balancer, in the cluster test). */
export type HttpTarget = Server | string;

let sequence = 0;
const run = String(process.pid % 10000).padStart(4, '0');

function next(): number {
  sequence += 1;
  return sequence;
}

/** A mobile number no other test of this process uses. */
export function freshMobile(): string {
  return `13${run}${String(next()).padStart(5, '0')}`;
}

/** A valid credit code (GB 32100) no other test of this process uses, registered in `regionCode`'s area. */
export function freshUscc(regionCode = '430100'): string {
  const body = `91${regionCode}${run}${String(next()).padStart(5, '0')}`;
  return body + (usccCheckCharacter(body) ?? '0');
}

/** A valid resident ID number (GB 11643) no other test of this process uses: born on successive days from 1940. */
export function freshIdNumber(): string {
  const birth = new Date(Date.UTC(1940, 0, 1) + next() * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110105${birth}${run.slice(-3)}`;
  return first17 + (residentIdCheckDigit(first17) ?? '0');
}

const REGION_OF: Record<string, string> = { xizang: '540100', neimenggu: '150100', jilin: '220100', hunan: '430100', anhui: '340100' };

/** Puts a unit into the demo national registry (the CLI's import path) and returns its credit code. */
export async function seedRegistryUnit(
  suite: TestAppHandle,
  province: string,
  options: { roleTypes?: string[]; institutions?: RegistryInstitution[]; name?: string } = {},
): Promise<RegistryEntry> {
  const uscc = freshUscc(REGION_OF[province]);
  const entry: RegistryEntry = {
    uscc,
    name: options.name ?? `测试单位${uscc.slice(-6)}`,
    provinceId: province,
    roleTypes: options.roleTypes ?? ['manufacturer'],
    institutions: options.institutions ?? [],
  };
  await suite.testApp.app.get<NationalRegistryImporter>(NATIONAL_REGISTRY).importRows([entry], 'import');
  return entry;
}

export async function solvedCaptcha(http: HttpTarget, province: string): Promise<{ captchaId: string; captcha: string }> {
  const issued = await request(http).get(`/api/v1/provinces/${province}/captcha`).expect(200);
  const { captchaId } = issued.body as { captchaId: string };
  const dev = await request(http).get(`/api/v1/dev/captchas/${captchaId}`).expect(200);
  return { captchaId, captcha: (dev.body as { answer: string }).answer };
}

/** The outbox fills asynchronously (queue → worker → provider): poll with a deadline. */
export async function outboxTexts(http: HttpTarget, phone: string, count = 1, deadlineMs = 10_000): Promise<string[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const res = await request(http).get(`/api/v1/dev/sms-outbox?phone=${phone}`).expect(200);
    const texts = (res.body as Array<{ text: string }>).map((m) => m.text);
    if (texts.length >= count) return texts;
    if (Date.now() > until) throw new Error(`outbox for ${phone} has ${texts.length} of ${count} messages after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const codeIn = (text: string | undefined): string => /\d{6}/.exec(text ?? '')?.[0] ?? '';

/** Requests an SMS code for the phone and reads it from the outbox (the newest message). */
export async function smsCode(http: HttpTarget, province: string, phone: string, purpose = 'registration'): Promise<string> {
  const before = await request(http).get(`/api/v1/dev/sms-outbox?phone=${phone}`).expect(200);
  const count = (before.body as unknown[]).length;
  await request(http)
    .post(`/api/v1/provinces/${province}/sms-codes`)
    .send({ phone, purpose, ...(await solvedCaptcha(http, province)) })
    .expect(202);
  const texts = await outboxTexts(http, phone, count + 1);
  return codeIn(texts[0]);
}

export interface RegistrationDraft {
  unit: Record<string, string>;
  operator: Record<string, string>;
}

/** A complete, valid registration for the national default fields (every province uses them). */
export function registrationDraft(uscc: string, overrides: { unit?: Record<string, string>; operator?: Record<string, string> } = {}): RegistrationDraft {
  const mobile = overrides.operator?.mobile ?? freshMobile();
  const password = overrides.operator?.password ?? 'Jingban#2025';
  return {
    unit: {
      unitAccount: `unit${uscc.slice(-8).toLowerCase()}`,
      unitPassword: 'Danwei#2025',
      unitName: `测试单位${uscc.slice(-6)}`,
      uscc,
      legalRepresentative: '张三',
      contactPhone: '13800138000',
      address: '长沙市岳麓区测试路 1 号',
      ...overrides.unit,
    },
    operator: {
      name: '李四',
      idType: 'resident-id',
      idNumber: freshIdNumber(),
      idValidFrom: '2020-01-01',
      idValidTo: '2040-01-01',
      mobile,
      password,
      confirmPassword: password,
      ...overrides.operator,
    },
  };
}

/** Adds what the province asks besides the fields: the SMS code and, where required, a captcha. */
export async function registrationBody(http: HttpTarget, province: string, draft: RegistrationDraft): Promise<Record<string, unknown>> {
  const form = (await request(http).get(`/api/v1/provinces/${province}/registration-form`).expect(200)).body as { required: string[] };
  const body: Record<string, unknown> = { ...draft };
  if (form.required.includes('smsCode')) body.smsCode = await smsCode(http, province, draft.operator.mobile ?? '');
  if (form.required.includes('captcha')) Object.assign(body, await solvedCaptcha(http, province));
  return body;
}

export async function register(http: HttpTarget, province: string, draft: RegistrationDraft): Promise<request.Response> {
  return request(http).post(`/api/v1/provinces/${province}/registrations`).send(await registrationBody(http, province, draft));
}

/** Logs in on an agent (which keeps the session cookie) with the password method, or another. */
export async function login(agent: request.Agent, http: HttpTarget, province: string, account: string, password: string, method = 'password'): Promise<request.Response> {
  return agent.post(`/api/v1/provinces/${province}/sessions`).send({ method, account, password, ...(await solvedCaptcha(http, province)) });
}

/** A unit put into the registry and registered; its draft (accounts, passwords) and its id. */
export async function registeredUnit(
  suite: TestAppHandle,
  province: string,
  options: { roleTypes?: string[]; institutions?: RegistryInstitution[]; overrides?: Parameters<typeof registrationDraft>[1] } = {},
): Promise<RegistrationDraft & { unitId: string; uscc: string; account: string; password: string; mobile: string; operatorPassword: string }> {
  const entry = await seedRegistryUnit(suite, province, { roleTypes: options.roleTypes, institutions: options.institutions });
  const draft = registrationDraft(entry.uscc, options.overrides);
  const res = await register(suite.http, province, draft);
  expect(res.status).toBe(201);
  return {
    ...draft,
    unitId: (res.body as { unit: { id: string } }).unit.id,
    uscc: entry.uscc,
    account: draft.unit.unitAccount ?? '',
    password: draft.unit.unitPassword ?? '',
    mobile: draft.operator.mobile ?? '',
    operatorPassword: draft.operator.password ?? '',
  };
}

/** An agent holding a hall session of the account. */
export async function signedIn(suite: TestAppHandle, province: string, account: string, password: string): Promise<request.Agent> {
  const agent = request.agent(suite.http);
  const res = await login(agent, suite.http, province, account, password);
  expect(res.status).toBe(201);
  return agent;
}

/**
 * 新增经办人 through the API (XZ-8, NM-2): the SMS code to the operator's phone (after a minute on
 * the clock, so the per-phone limit never bites), then the add with that code.
 */
export async function addOperatorBySms(suite: TestAppHandle, clock: ManualClock, main: request.Agent, province: string, who: Record<string, unknown>, phone: string): Promise<request.Response> {
  clock.advanceSeconds(61);
  const before = (await request(suite.http).get(`/api/v1/dev/sms-outbox?phone=${phone}`).expect(200)).body as unknown[];
  const sent = await main.post(`/api/v1/provinces/${province}/hall/operators/sms-codes`).send({ ...who, ...(await solvedCaptcha(suite.http, province)) });
  expect(sent.status).toBe(202);
  expect((sent.body as { phone: string }).phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  const code = codeIn((await outboxTexts(suite.http, phone, before.length + 1))[0]);
  return main.post(`/api/v1/provinces/${province}/hall/operators`).send({ ...who, smsCode: code });
}
