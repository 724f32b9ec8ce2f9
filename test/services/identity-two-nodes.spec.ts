/**
 * Two app nodes on one PostgreSQL and one Redis, as behind a load balancer: a session opened on one
 * is served by the other, a captcha issued by one is answered at the other, and login failures on
 * both count towards one lockout (DESIGN.md, running on several machines; identity issue item 5).
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { register, registrationDraft, seedRegistryUnit, solvedCaptcha } from '#test/support/hall-journey.js';
import { nodeHttp, startDeployment, type Deployment } from '#test/support/nodes.js';
import type { TestApp, TestAppHandle } from '#test/support/test-app.js';

let deployment: Deployment;
let nodeA: TestApp;
let nodeB: TestApp;

const http = nodeHttp;
const handle = (node: TestApp): TestAppHandle => ({ testApp: node, http: http(node) });

beforeAll(async () => {
  deployment = await startDeployment('pe_two_nodes');
  nodeA = deployment.first;
  nodeB = await deployment.join();
});

afterAll(async () => {
  await deployment.close();
});

async function registeredUnit(): Promise<{ account: string; password: string }> {
  const entry = await seedRegistryUnit(handle(nodeA), 'jilin');
  const draft = registrationDraft(entry.uscc);
  expect((await register(http(nodeA), 'jilin', draft)).status).toBe(201);
  return { account: draft.unit.unitAccount ?? '', password: draft.unit.unitPassword ?? '' };
}

it('a captcha issued by node A is answered at node B, and the session B opens is served by A until logout on B', async () => {
  const unit = await registeredUnit();
  const captcha = await solvedCaptcha(http(nodeA), 'jilin');
  const opened = await request(http(nodeB)).post('/api/v1/provinces/jilin/sessions').send({ method: 'password', account: unit.account, password: unit.password, ...captcha }).expect(201);
  const cookie = ((opened.headers['set-cookie'] as unknown as string[])[0] ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^pe_hall_jilin=/);
  await request(http(nodeA)).get('/api/v1/provinces/jilin/session').set('cookie', cookie).expect(200);
  await request(http(nodeB)).delete('/api/v1/provinces/jilin/session').set('cookie', cookie).expect(204);
  await request(http(nodeA)).get('/api/v1/provinces/jilin/session').set('cookie', cookie).expect(401);
});

it('failures at both nodes count towards one lockout: 15 at A and 15 at B lock the account everywhere', async () => {
  const unit = await registeredUnit();
  const attempt = async (node: TestApp, password: string) =>
    request(http(node))
      .post('/api/v1/provinces/jilin/sessions')
      .send({ method: 'password', account: unit.account, password, ...(await solvedCaptcha(http(node), 'jilin')) });
  for (let i = 1; i < 30; i++) expect((await attempt(i % 2 === 0 ? nodeA : nodeB, `Wrong#${randomBytes(3).toString('hex')}`)).status).toBe(401);
  expect((await attempt(nodeA, 'Wrong#last')).status).toBe(429);
  const atB = await attempt(nodeB, unit.password);
  expect(atB.status).toBe(429);
  expect(atB.body).toMatchObject({ code: 'LOGIN_LOCKED' });
});
