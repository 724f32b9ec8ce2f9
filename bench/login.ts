/**
 * Login benchmark (issue item 9): logins/s against raw argon2 verifies/s with the same parameters,
 * same run, and the share of a login's time that is not argon2.
 *   A — a full hall login over loopback HTTP (keep-alive): `POST /api/v1/provinces/jilin/sessions`
 *       {method: password, account, password, captchaId, captcha} through the whole app (PGlite
 *       `memory://`, dev tools on): tenancy, captcha check, account lookup, lockout check, argon2
 *       verify, session insert, audit row, the actor's description, the cookie → 201.
 *   B — `verify(hash, password)` of @node-rs/argon2 on a hash made with ARGON2_PARAMS (checked to
 *       carry the same parameters as the unit's stored hash).
 * Each login needs a fresh captcha: a batch is issued and solved (through the dev tools) before each
 * timed batch, outside the timer, so A times the login request alone. A and B alternate
 * (A, B, A, B…) at concurrency 1 (one at a time) and 4 (four in flight: argon2 runs on libuv's
 * thread pool, 4 threads by default). See bench/README.md.
 */
import type { Server } from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import { ARGON2_PARAMS } from '#src/identity/password-hasher.js';
import { register, registrationDraft, seedRegistryUnit } from '#test/support/hall-journey.js';
import { startTestApp, type TestApp, type TestAppHandle } from '#test/support/test-app.js';
import { fmt, formatTable, type BenchReport } from './bench-kit.js';
import { send, stats, target as httpTarget, timedBatch, type Side, type Stats, type Target } from './http-bench.js';

const PROVINCE = 'jilin';
const LEVELS = [
  // Timed batches of `batch` operations per side until both sides together ran targetMs and each
  // did minOps (at most maxOps): ~10 s of timing per level keeps the whole bench near 30 s.
  { concurrency: 1, warmup: 5, batch: 20, targetMs: 10_000, minOps: 160, maxOps: 400 },
  { concurrency: 4, warmup: 8, batch: 20, targetMs: 10_000, minOps: 160, maxOps: 600 },
] as const;

interface LevelResult {
  concurrency: number;
  login: Stats;
  argon2: Stats;
  /** logins/s ÷ argon2 verifies/s. */
  throughputRatio: number;
  /** 1 − argon2 median ÷ login median: the share of a login that is not argon2. */
  nonArgon2Share: number;
  /** The same with means. */
  nonArgon2ShareMean: number;
}

export async function run(): Promise<BenchReport> {
  const testApp = await startTestApp();
  try {
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const http: Server = testApp.app.getHttpServer();
    const credentials = await registerUnit(testApp, http);
    const target = httpTarget(http.address());

    // B's hash: the parameters of the unit's stored hash, or the bench is comparing the wrong thing.
    const bHash = await hash(credentials.password, ARGON2_PARAMS);
    if (paramsOf(bHash) !== paramsOf(credentials.storedHash)) throw new Error(`stored hash ${paramsOf(credentials.storedHash)} ≠ ARGON2_PARAMS ${paramsOf(bHash)}`);

    const login = async (captcha: SolvedCaptcha): Promise<void> => {
      const res = await post(target, `/api/v1/provinces/${PROVINCE}/sessions`, { method: 'password', account: credentials.account, password: credentials.password, ...captcha });
      if (res.status !== 201) throw new Error(`login answered ${res.status}: ${res.body.slice(0, 300)}`);
    };
    const argon2 = async (): Promise<void> => {
      if (!(await verify(bHash, credentials.password))) throw new Error('argon2 verify returned false');
    };

    const levels: LevelResult[] = [];
    for (const level of LEVELS) levels.push(await measure(level, target, login, argon2));
    target.agent.destroy();

    const data = {
      node: process.version,
      date: new Date().toISOString(),
      province: PROVINCE,
      argon2: { ...ARGON2_PARAMS, encoded: paramsOf(bHash) },
      uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
      levels,
    };
    return { name: 'login', table: renderTable(data), data };
  } finally {
    await testApp.close();
  }
}

async function registerUnit(testApp: TestApp, http: Server): Promise<{ account: string; password: string; storedHash: string }> {
  const handle: TestAppHandle = { testApp, http };
  const entry = await seedRegistryUnit(handle, PROVINCE);
  const draft = registrationDraft(entry.uscc);
  const res = await register(http, PROVINCE, draft);
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
  const account = draft.unit.unitAccount ?? '';
  const rows = await testApp.app.get(DataSource).query<Array<{ password_hash: string }>>(`SELECT password_hash FROM units WHERE province_id = $1 AND account_name = $2`, [PROVINCE, account]);
  const storedHash = rows[0]?.password_hash;
  if (!storedHash) throw new Error('the registered unit has no stored hash');
  return { account, password: draft.unit.unitPassword ?? '', storedHash };
}

/** `$argon2id$v=19$m=19456,t=2,p=1$…` → `argon2id v=19 m=19456,t=2,p=1`. */
function paramsOf(encoded: string): string {
  return encoded.split('$').slice(1, 4).join(' ');
}

interface SolvedCaptcha {
  captchaId: string;
  captcha: string;
}

/** Issue a captcha and read its answer through the dev tools: setup, never timed. */
async function solveCaptchas(target: Target, count: number): Promise<SolvedCaptcha[]> {
  const solved: SolvedCaptcha[] = [];
  for (let i = 0; i < count; i++) {
    const issued = JSON.parse((await get(target, `/api/v1/provinces/${PROVINCE}/captcha`)).body) as { captchaId: string };
    const dev = JSON.parse((await get(target, `/api/v1/dev/captchas/${issued.captchaId}`)).body) as { answer: string };
    solved.push({ captchaId: issued.captchaId, captcha: dev.answer });
  }
  return solved;
}

/**
 * Warm up, then alternate timed batches A, B, A, B… Within a batch, `concurrency` workers each take
 * the next operation as soon as their previous one finished; each operation is timed on its own and
 * the batch's wall time gives the throughput.
 */
async function measure(
  level: (typeof LEVELS)[number],
  target: Target,
  login: (captcha: SolvedCaptcha) => Promise<void>,
  argon2: () => Promise<void>,
): Promise<LevelResult> {
  const a: Side = { samples: [], wallMs: 0 };
  const b: Side = { samples: [], wallMs: 0 };
  for (const captcha of await solveCaptchas(target, level.warmup)) await login(captcha);
  for (let i = 0; i < level.warmup; i++) await argon2();

  while (a.samples.length < level.maxOps && (a.samples.length < level.minOps || a.wallMs + b.wallMs < level.targetMs)) {
    const captchas = await solveCaptchas(target, level.batch);
    await timedBatch(a, level.concurrency, level.batch, (i) => login(captchas[i] ?? { captchaId: '', captcha: '' }));
    await timedBatch(b, level.concurrency, level.batch, () => argon2());
  }
  const logins = stats(a);
  const verifies = stats(b);
  return {
    concurrency: level.concurrency,
    login: logins,
    argon2: verifies,
    throughputRatio: logins.perSecond / verifies.perSecond,
    nonArgon2Share: 1 - verifies.p50Ms / logins.p50Ms,
    nonArgon2ShareMean: 1 - verifies.meanMs / logins.meanMs,
  };
}

const get = (to: Target, path: string) => send(to, 'GET', path);
const post = (to: Target, path: string, body: unknown) => send(to, 'POST', path, body);

function renderTable(data: { argon2: { encoded: string }; uvThreadpoolSize: string; levels: LevelResult[] }): string {
  const rows: string[][] = [];
  for (const level of data.levels) {
    for (const [label, s] of [
      ['A login (HTTP)', level.login],
      ['B argon2 verify', level.argon2],
    ] as const) {
      rows.push([label, String(level.concurrency), String(s.ops), fmt(s.perSecond, 1), fmt(s.p50Ms, 1), fmt(s.p99Ms, 1), fmt(s.meanMs, 1)]);
    }
  }
  const table = formatTable(['side', 'in flight', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'mean ms'], rows);
  const lines = data.levels.map(
    (l) =>
      `concurrency ${l.concurrency}: logins/s ÷ verifies/s = ${fmt(l.throughputRatio, 2)}; non-argon2 share of a login = 1 − B/A = ${fmt(l.nonArgon2Share * 100, 1)}% (medians), ${fmt(l.nonArgon2ShareMean * 100, 1)}% (means)`,
  );
  return [
    `POST /api/v1/provinces/${PROVINCE}/sessions (password + solved captcha, captchas solved outside the timer) vs @node-rs/argon2 verify, ${data.argon2.encoded}; A and B alternate in one process; UV_THREADPOOL_SIZE ${data.uvThreadpoolSize}`,
    '',
    table,
    '',
    ...lines,
  ].join('\n');
}
