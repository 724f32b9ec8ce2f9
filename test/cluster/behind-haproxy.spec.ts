/**
 * Issue 10, item 3 — a real balancer: two app nodes and a separate SMS worker, real OS processes
 * running `nest build`'s dist on the real PostgreSQL and Redis, behind HAProxy (round-robin, health
 * checks, redispatch). Every request goes through the balancer; its X-Served-By header (HAProxy's
 * server name) says which node answered, and `onNode` steers the next request by round-robin.
 * Bounded loops, loopback only. The tests run in order: the last two kill node A and bring it back.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freshMobile, register, registrationDraft, solvedCaptcha } from '#test/support/hall-journey.js';
import { json, send, startCluster, type Answer, type Cluster } from '#test/support/cluster.js';
import { sleep } from '#test/support/cluster-processes.js';
import { CHECK_FALL, CHECK_INTERVAL_MS, CHECK_RISE } from '#test/support/haproxy.js';
import { TEST_ADMIN_TOKEN } from '#test/support/test-app.js';

interface Health {
  status: string;
  profiles: { version: string; node: { id: string }; sync: { mechanism: string; listening: boolean } };
}

let started: Cluster | undefined;
const cluster = (): Cluster => {
  if (!started) throw new Error('集群未启动（见 beforeAll 的错误）');
  return started;
};
const balancer = (): string => cluster().balancer.url;

beforeAll(async () => {
  started = await startCluster(['a', 'b']);
}, 120_000);

afterAll(async () => {
  await started?.stop();
}, 60_000);

const get = (path: string, options: Parameters<typeof send>[3] = {}): Promise<Answer> => send(balancer(), 'GET', path, options);

/** Round-robin alternates, so the next request lands on `node` once the last one did not (one /health in between when needed). */
async function nextOn(node: string): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const answer = await get('/health');
    if (answer.servedBy !== undefined && answer.servedBy !== node) return;
  }
  throw new Error(`轮询没有轮到节点 ${node}`);
}

/** A request that the balancer must have sent to `node`. */
async function onNode(node: string, method: string, path: string, options: Parameters<typeof send>[3] = {}): Promise<Answer> {
  await nextOn(node);
  const answer = await send(balancer(), method, path, options);
  expect({ path, servedBy: answer.servedBy }).toEqual({ path, servedBy: node });
  return answer;
}

/** A code requested for `phone` in Hunan, the captcha solved through the dev tools, sent to `node` or wherever round-robin goes. */
async function smsCodeRequest(phone: string, options: { node?: string; from?: string } = {}): Promise<Answer> {
  const body = { phone, purpose: 'registration', ...(await solvedCaptcha(balancer(), 'hunan')) };
  const path = '/api/v1/provinces/hunan/sms-codes';
  return options.node ? onNode(options.node, 'POST', path, { body, from: options.from }) : send(balancer(), 'POST', path, { body, from: options.from });
}

let registered: { account: string; password: string; mobile: string; operatorPassword: string } | undefined;

/** Jilin's demo manufacturer, registered once through the balancer: its unit account and its operator (login = mobile). */
async function registeredUnit(): Promise<NonNullable<typeof registered>> {
  if (registered) return registered;
  const { entries } = json<{ entries: Array<{ uscc: string; roleTypes: string[] }> }>(await get('/api/v1/dev/registry?province=jilin'));
  const uscc = entries.find((entry) => entry.roleTypes.includes('manufacturer'))?.uscc ?? '';
  const draft = registrationDraft(uscc);
  expect((await register(balancer(), 'jilin', draft)).status).toBe(201);
  registered = { account: draft.unit.unitAccount ?? '', password: draft.unit.unitPassword ?? '', mobile: draft.operator.mobile ?? '', operatorPassword: draft.operator.password ?? '' };
  return registered;
}

it('HAProxy alternates the nodes: consecutive /health answers come from different nodes, each one itself, on one profile version', async () => {
  const answers: Answer[] = [];
  for (let i = 0; i < 6; i++) answers.push(await get('/health'));
  const servedBy = answers.map((answer) => answer.servedBy);
  expect(servedBy.slice(1).every((name, i) => name !== servedBy[i])).toBe(true);
  expect(new Set(servedBy)).toEqual(new Set(['a', 'b']));
  // The server HAProxy named is the node that answered: one node id per server name, two in all.
  const ids = new Map(answers.map((answer) => [answer.servedBy, json<Health>(answer).profiles.node.id]));
  expect(new Set(answers.map((answer) => `${answer.servedBy} ${json<Health>(answer).profiles.node.id}`)).size).toBe(2);
  expect(ids.get('a')).not.toBe(ids.get('b'));
  const healths = answers.map((answer) => json<Health>(answer));
  expect(new Set(healths.map((health) => health.profiles.version)).size).toBe(1);
  expect(healths.every((health) => health.status === 'ok' && health.profiles.sync.listening)).toBe(true);
});

it('a captcha issued by node A is answered at node B, and the session B opens is served by A until logout on A', async () => {
  const unit = await registeredUnit();
  const { captchaId } = json<{ captchaId: string }>(await onNode('a', 'GET', '/api/v1/provinces/jilin/captcha'));
  const { answer } = json<{ answer: string }>(await get(`/api/v1/dev/captchas/${captchaId}`));
  const opened = await onNode('b', 'POST', '/api/v1/provinces/jilin/sessions', { body: { method: 'password', account: unit.account, password: unit.password, captchaId, captcha: answer } });
  expect(opened.status).toBe(201);
  const cookie = ([opened.headers['set-cookie'] ?? []].flat()[0] ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^pe_hall_jilin=/);
  const session = (node: string) => onNode(node, 'GET', '/api/v1/provinces/jilin/session', { headers: { cookie } });
  expect((await session('a')).status).toBe(200);
  expect((await session('b')).status).toBe(200);
  expect((await onNode('a', 'DELETE', '/api/v1/provinces/jilin/session', { headers: { cookie } })).status).toBe(204);
  expect((await session('b')).status).toBe(401);
});

it('SMS send limits count the requests to both nodes together: per phone (1 a minute) and per client address (30 an hour)', async () => {
  const phone = freshMobile();
  expect((await smsCodeRequest(phone, { node: 'a' })).status).toBe(202);
  const again = await smsCodeRequest(phone, { node: 'b' });
  expect(again.status).toBe(429);
  expect(json<{ code: string }>(again).code).toBe('SMS_PHONE_LIMITED');
  expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);

  // One client address (another loopback source), 30 codes for 30 phones, round-robin over both nodes.
  const client = '127.0.2.1';
  const servedBy: string[] = [];
  for (let i = 0; i < 30; i++) {
    const answer = await smsCodeRequest(freshMobile(), { from: client });
    expect(answer.status).toBe(202);
    servedBy.push(answer.servedBy ?? '');
  }
  expect(servedBy.filter((name) => name === 'a').length).toBeGreaterThanOrEqual(10);
  expect(servedBy.filter((name) => name === 'b').length).toBeGreaterThanOrEqual(10);
  for (const node of ['a', 'b']) {
    const over = await smsCodeRequest(freshMobile(), { from: client, node });
    expect([over.status, json<{ code: string }>(over).code]).toEqual([429, 'SMS_IP_LIMITED']);
  }
  // The nodes see each client's own address (HAProxy's X-Forwarded-For), not the balancer's.
  expect((await smsCodeRequest(freshMobile(), { from: '127.0.2.2' })).status).toBe(202);
}, 60_000);

it('login failures sent alternately to both nodes lock the account at the shared threshold of 30', async () => {
  const { mobile, operatorPassword } = await registeredUnit();
  const attempt = async (password: string) =>
    send(balancer(), 'POST', '/api/v1/provinces/jilin/sessions', { body: { method: 'password', account: mobile, password, ...(await solvedCaptcha(balancer(), 'jilin')) } });
  const servedBy: string[] = [];
  for (let i = 1; i < 30; i++) {
    const failed = await attempt(`Wrong#${i}`);
    expect(failed.status).toBe(401);
    servedBy.push(failed.servedBy ?? '');
  }
  expect(Math.min(...['a', 'b'].map((node) => servedBy.filter((name) => name === node).length))).toBeGreaterThanOrEqual(10);
  expect((await attempt('Wrong#30')).status).toBe(429);
  for (const node of ['a', 'b']) {
    await nextOn(node);
    const right = await attempt(operatorPassword);
    expect([right.servedBy, right.status, json<{ code: string }>(right).code]).toEqual([node, 429, 'LOGIN_LOCKED']);
  }
}, 60_000);

it('a profile reload through node A is served by node B within 2 s, both nodes then on the new version', async () => {
  const file = join(cluster().profilesDir, 'hunan.yaml');
  const title = '湖南省医疗保障局网上服务大厅（集群）';
  await writeFile(file, (await readFile(file, 'utf8')).replace(/^ {2}portalTitle: .*$/m, `  portalTitle: ${title}`));
  const reloaded = await onNode('a', 'POST', '/api/v1/admin/profiles/reload', { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  expect(reloaded.status).toBe(200);
  const reloadedAt = Date.now();
  let seen = '';
  while (seen !== title && Date.now() - reloadedAt < 2_000) {
    seen = json<{ branding: { portalTitle: string } }>(await onNode('b', 'GET', '/api/v1/provinces/hunan')).branding.portalTitle;
  }
  expect(seen).toBe(title);
  const { version } = json<{ version: string }>(reloaded);
  expect([json<Health>(await onNode('a', 'GET', '/health')).profiles.version, json<Health>(await onNode('b', 'GET', '/health')).profiles.version]).toEqual([version, version]);
});

/** The kill test's load: 40 code requests (captcha, its answer, the request: 120 requests) and 80 reads, 6 at a time. */
const SMS_FLOWS = 40;
const READS = 80;
const IN_FLIGHT = 6;
const THINK_MS = 60;
/**
 * Node A is killed once this many requests of the 200 have been answered, at the first answer that
 * leaves a code request (POST) on its way, so the kill may catch one inside A; or, at the latest,
 * at the 40th answer after that.
 */
const KILL_AFTER = 60;
const KILL_LATEST = KILL_AFTER + 40;
const READ_PATHS = ['/api/v1/provinces/hunan', '/hunan/', '/health', '/api/v1/provinces'];

interface Outcome {
  method: string;
  path: string;
  phone?: string;
  startedAt: number;
  endedAt: number;
  /** 0 when the balancer gave no answer at all. */
  status: number;
  servedBy?: string;
  text: string;
}

/** What the kill test saw, for the rejoin test after it. */
const killed = { at: 0, goneAt: 0, afterAnswers: 0, downMs: 0, acceptedPhones: [] as string[] };

it('node A SIGKILLed under load: HAProxy fails over to B, reads never fail, only POSTs in flight on A at the kill may, every accepted code is delivered', async () => {
  const outcomes: Outcome[] = [];
  let down: Promise<number> | undefined;
  let postsOnTheirWay = 0;
  const timed = async (method: string, path: string, options: Parameters<typeof send>[3] & { phone?: string } = {}): Promise<Outcome> => {
    const startedAt = Date.now();
    if (method === 'POST') postsOnTheirWay += 1;
    const outcome: Outcome = await send(balancer(), method, path, options).then(
      (answer) => ({ method, path, phone: options.phone, startedAt, endedAt: Date.now(), status: answer.status, servedBy: answer.servedBy, text: answer.text }),
      (error: unknown) => ({ method, path, phone: options.phone, startedAt, endedAt: Date.now(), status: 0, text: String(error) }),
    );
    if (method === 'POST') postsOnTheirWay -= 1;
    outcomes.push(outcome);
    if (killed.at === 0 && outcomes.length >= KILL_AFTER && (postsOnTheirWay >= 1 || outcomes.length >= KILL_LATEST)) {
      const nodeA = cluster().nodes.a;
      nodeA?.process.child.kill('SIGKILL');
      killed.at = Date.now();
      killed.afterAnswers = outcomes.length;
      // The process dies a moment after the signal; until then its listening socket still takes connections.
      void nodeA?.process.exited.then(() => (killed.goneAt = Date.now()));
      down = cluster().balancer.waitForStatus('a', 'DOWN', 10_000);
    }
    return outcome;
  };
  // Each code request from a client address of its own, so the per-address limit (30 an hour) never bites.
  const smsFlow = async (i: number): Promise<void> => {
    const issued = await timed('GET', '/api/v1/provinces/hunan/captcha');
    if (issued.status !== 200) return;
    const { captchaId } = JSON.parse(issued.text) as { captchaId: string };
    const solved = await timed('GET', `/api/v1/dev/captchas/${captchaId}`);
    if (solved.status !== 200) return;
    const phone = freshMobile();
    const body = { phone, purpose: 'registration', captchaId, captcha: (JSON.parse(solved.text) as { answer: string }).answer };
    await timed('POST', '/api/v1/provinces/hunan/sms-codes', { body, phone, from: `127.0.3.${i + 1}` });
  };
  const tasks: Array<() => Promise<unknown>> = [];
  for (let i = 0; i < SMS_FLOWS; i++) tasks.push(() => smsFlow(i), () => timed('GET', READ_PATHS[(2 * i) % READ_PATHS.length] ?? '/health'), () => timed('GET', READ_PATHS[(2 * i + 1) % READ_PATHS.length] ?? '/health'));
  expect(tasks.length).toBe(SMS_FLOWS + READS);
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < tasks.length) {
        await tasks[next++]?.();
        // A client's think time: the load then lasts through HAProxy's detection of the dead node.
        await sleep(THINK_MS);
      }
    }),
  );
  expect(killed.at).toBeGreaterThan(0);
  killed.downMs = await (down ?? Promise.reject(new Error('node A was never killed')));

  // Every request of the 200 got an answer from the balancer; every read a good one, served by B after the kill.
  expect(outcomes).toHaveLength(SMS_FLOWS * 3 + READS);
  const failed = outcomes.filter((outcome) => outcome.status === 0 || outcome.status >= 500);
  expect(failed.filter((outcome) => outcome.method === 'GET')).toEqual([]);
  expect(killed.goneAt).toBeGreaterThanOrEqual(killed.at);
  expect(outcomes.filter((outcome) => outcome.startedAt > killed.goneAt && outcome.servedBy !== 'b')).toEqual([]);
  // A POST may fail only if it was on its way while A died: HAProxy does not replay a POST a node may have acted on.
  const inFlightAtKill = outcomes.filter((outcome) => outcome.method === 'POST' && outcome.startedAt <= killed.goneAt && outcome.endedAt >= killed.at);
  for (const outcome of failed) expect(inFlightAtKill).toContain(outcome);
  expect(failed.length).toBeLessThanOrEqual(IN_FLIGHT);
  expect(failed.every((outcome) => outcome.status === 502)).toBe(true);
  const posts = outcomes.filter((outcome) => outcome.method === 'POST');
  expect(posts.filter((outcome) => outcome.status !== 202 && !failed.includes(outcome))).toEqual([]);
  killed.acceptedPhones = posts.filter((outcome) => outcome.status === 202).map((outcome) => outcome.phone ?? '');

  const logged = cluster().balancer.accessLog();
  const retriedToB = logged.filter((entry) => entry.redispatched && entry.server === 'b').length;
  const endedAt = Math.max(...outcomes.map((outcome) => outcome.endedAt));
  const afterKill = outcomes.filter((outcome) => outcome.endedAt >= killed.at);
  const slowest = Math.max(...afterKill.map((outcome) => outcome.endedAt - outcome.startedAt));
  process.stdout.write(
    `kill test: A killed after ${killed.afterAnswers} of ${outcomes.length} answers (gone ${killed.goneAt - killed.at} ms after the signal); HAProxy marked it DOWN ${killed.downMs} ms later ` +
      `(checks every ${CHECK_INTERVAL_MS} ms, fall ${CHECK_FALL}); ${retriedToB} requests redispatched to B; ` +
      `${failed.length} failed (POSTs in flight on A at the kill: ${inFlightAtKill.length}); slowest answer after the kill ${slowest} ms; ` +
      `the load went on ${endedAt - killed.at} ms after the kill\n`,
  );
  expect(killed.downMs).toBeLessThan(CHECK_INTERVAL_MS * (CHECK_FALL + 2));
  const afterDown: Answer[] = [];
  for (let i = 0; i < 4; i++) afterDown.push(await get('/health'));
  expect(afterDown.map((answer) => [answer.status, answer.servedBy])).toEqual(Array.from({ length: 4 }, () => [200, 'b']));

  // The worker delivers each accepted code exactly once while A is down.
  const deadline = Date.now() + 30_000;
  let delivered: Array<{ phone: string; n: string }> = [];
  while (delivered.length < killed.acceptedPhones.length && Date.now() < deadline) {
    await sleep(100);
    delivered = await cluster().query<{ phone: string; n: string }>('SELECT phone, count(*) AS n FROM sms_outbox WHERE phone = ANY($1) GROUP BY phone', [killed.acceptedPhones]);
  }
  expect(delivered).toHaveLength(killed.acceptedPhones.length);
  expect(delivered.every((row) => row.n === '1')).toBe(true);
}, 90_000);

it('node A restarted on its port rejoins: HAProxy marks it up, alternates again, and nothing recorded is left undelivered', async () => {
  await cluster().restart('a');
  const upMs = await cluster().balancer.waitForStatus('a', 'UP', CHECK_INTERVAL_MS * (CHECK_RISE + 4));
  const answers: Answer[] = [];
  for (let i = 0; i < 4; i++) answers.push(await get('/health'));
  const servedBy = answers.map((answer) => answer.servedBy);
  expect(servedBy.slice(1).every((name, i) => name !== servedBy[i])).toBe(true);
  expect(new Set(servedBy)).toEqual(new Set(['a', 'b']));
  expect(new Set(answers.map((answer) => json<Health>(answer).profiles.version)).size).toBe(1);

  // A's boot re-enqueues what the killed A recorded but never queued; the worker delivers it. Then
  // every message ever recorded is in the outbox once, and every phone has one message.
  const deadline = Date.now() + 30_000;
  const unsent = async () => Number((await cluster().query<{ n: string }>(`SELECT count(*) AS n FROM sms_messages WHERE status <> 'sent'`))[0]?.n);
  while ((await unsent()) > 0 && Date.now() < deadline) await sleep(100);
  expect(await unsent()).toBe(0);
  const [{ messages = '', outbox = '', phones = '' } = {}] = await cluster().query<{ messages: string; outbox: string; phones: string }>(
    `SELECT (SELECT count(*) FROM sms_messages) AS messages, (SELECT count(*) FROM sms_outbox) AS outbox, (SELECT count(DISTINCT phone) FROM sms_outbox) AS phones`,
  );
  expect([outbox, phones]).toEqual([messages, messages]);
  process.stdout.write(`rejoin: A up at HAProxy ${upMs} ms after its /health answered; ${messages} messages recorded in the run, ${outbox} in the outbox, one each\n`);
}, 60_000);
