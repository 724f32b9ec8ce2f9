/**
 * Province administrators in black-box tests: made through the same function the CLI uses (there
 * is no HTTP route that creates one), signed in through the API with a solved captcha.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { AuditLog } from '#src/audit/audit-log.js';
import { createAdministrator } from '#src/administration/administrator-creation.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { DataSource } from 'typeorm';
import { solvedCaptcha } from '#test/support/hall-journey.js';
import type { TestAppHandle } from '#test/support/test-app.js';

export const ADMIN_PASSWORD = 'Guanli#2025';

let sequence = 0;

export interface TestAdministrator {
  id: string;
  account: string;
  password: string;
  province: string;
}

export async function createTestAdministrator(suite: TestAppHandle, province: string, options: { account?: string; password?: string; displayName?: string } = {}): Promise<TestAdministrator> {
  const { app } = suite.testApp;
  sequence += 1;
  const account = options.account ?? `${province}-admin-${process.pid % 10000}-${sequence}`;
  const password = options.password ?? ADMIN_PASSWORD;
  const { profile } = app.get(ProfileRegistry).require(province);
  const created = await createAdministrator(
    { db: app.get(DataSource), clock: app.get<Clock>(CLOCK), hasher: app.get(PasswordHasher), audit: app.get(AuditLog) },
    profile,
    { accountName: account, displayName: options.displayName, password },
    { clientIp: 'cli:test', requestId: `test-${sequence}` },
  );
  return { id: created.id, account, password, province };
}

export async function adminSignIn(agent: request.Agent | ReturnType<typeof request>, http: Server, province: string, account: string, password: string): Promise<request.Response> {
  return agent.post(`/api/v1/provinces/${province}/admin/session`).send({ account, password, ...(await solvedCaptcha(http, province)) });
}

/** An agent holding an admin session of the administrator's province. */
export async function signedInAdmin(suite: TestAppHandle, administrator: TestAdministrator): Promise<request.Agent> {
  const agent = request.agent(suite.http);
  const res = await adminSignIn(agent, suite.http, administrator.province, administrator.account, administrator.password);
  expect(res.status).toBe(201);
  return agent;
}

/** The value of a Set-Cookie of the response, by name. */
export function cookieValue(res: request.Response, name: string): string | undefined {
  const header = res.headers['set-cookie'] as unknown;
  const cookies = Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
  const found = cookies.find((c) => c.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1).split(';', 1)[0] ?? '') : undefined;
}

export function setCookieHeader(res: request.Response, name: string): string {
  const header = res.headers['set-cookie'] as unknown;
  const cookies = Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
  return cookies.find((c) => c.startsWith(`${name}=`)) ?? '';
}
