/**
 * Issue item 8: fuzzed bodies (fast-check, thousands of cases) on registration and sessions —
 * never a 500, nothing half-written. Every answer to a bad body is a coded 4xx JSON error
 * `{code, message}`; registration either commits the unit, its operator and their binding together
 * (201) or writes none of them (4xx).
 *
 * Cost control: bodies without a valid SMS code or captcha fail before any argon2 work, so those
 * run by the thousand; the few properties that spend a real SMS code or captcha (and so reach
 * argon2, tens of ms a check, counted towards lockouts) run tens of cases. A ManualClock moves an
 * hour forward before each real-SMS case, so the per-IP SMS limit (30/h) never runs out.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ManualClock } from '#src/clock/clock.js';
import { freshMobile, freshUscc, login, register, registrationDraft, seedRegistryUnit, smsCode, solvedCaptcha, type RegistrationDraft } from '#test/support/hall-journey.js';
import { useTestApp } from '#test/support/test-app.js';

const clock = new ManualClock();
const suite = useTestApp({}, { clock });

const PROVINCES = ['xizang', 'neimenggu', 'jilin', 'hunan', 'anhui'] as const;
type Province = (typeof PROVINCES)[number];
/** Provinces whose registration form also asks for a graphic captcha. */
const REGISTRATION_CAPTCHA = new Set<string>(['jilin', 'anhui']);

/** A valid registration of `uscc` with an operator nobody else has (or the given one's mobile and password). */
function draftFor(uscc: string, operator: Record<string, string> = {}): RegistrationDraft {
  return registrationDraft(uscc, { operator });
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Strings that have broken web apps before: NUL (PostgreSQL text refuses it), lone surrogates (jsonb refuses them), bidi, BOM, injections. */
const nastyString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202e\u0645',
  '\ufeff',
  '\u0007\u001b[31m',
  '\r\n\t',
  '𝕏💊𠀀',
  '%00',
  '\\u0000',
  "'; DROP TABLE units; --",
  '${process.exit()}',
  '{{constructor}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'toString',
  '1e309',
  '-0',
  'null',
  'undefined',
);
const longString = fc.oneof(
  fc.integer({ min: 33, max: 300 }).map((n) => 'A'.repeat(n)),
  fc.integer({ min: 200, max: 20_000 }).map((n) => '汉'.repeat(n)),
  fc.integer({ min: 1_000, max: 40_000 }).map((n) => 'é'.repeat(n)),
);
const weirdString = fc.oneof(
  { arbitrary: fc.string(), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary-ascii' }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 2 },
  { arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '汉', '\u0085') }), weight: 1 },
  { arbitrary: nastyString, weight: 3 },
  { arbitrary: longString, weight: 1 },
);
const anything = fc.anything({ maxDepth: 3, maxKeys: 6, withNullPrototype: true, stringUnit: 'binary', key: fc.oneof(fc.string(), nastyString) });
const weirdValue = fc.oneof(
  { arbitrary: weirdString, weight: 5 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), weight: 2 },
  { arbitrary: fc.array(anything, { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.dictionary(weirdString, anything, { maxKeys: 4 }), weight: 1 },
  { arbitrary: anything, weight: 2 },
);

/** Where a mutation lands in a registration body: a field of a section, or a top-level key. */
const UNIT_KEYS = ['unitAccount', 'unitPassword', 'unitName', 'uscc', 'legalRepresentative', 'contactPhone', 'address'];
const OPERATOR_KEYS = ['name', 'idType', 'idNumber', 'idValidFrom', 'idValidTo', 'mobile', 'password', 'confirmPassword'];
const TOP_KEYS = ['unit', 'operator', 'smsCode', 'captchaId', 'captcha'];
const target = fc.oneof(
  { arbitrary: fc.constantFrom(...UNIT_KEYS).map((key) => ['unit', key] as const), weight: 4 },
  { arbitrary: fc.constantFrom(...OPERATOR_KEYS).map((key) => ['operator', key] as const), weight: 4 },
  { arbitrary: fc.constantFrom(...TOP_KEYS).map((key) => [undefined, key] as const), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('unit', 'operator', undefined), fc.oneof(fc.string(), nastyString)), weight: 1 },
);
type Mutation = { at: readonly [string | undefined, string]; kind: 'set'; value: unknown } | { at: readonly [string | undefined, string]; kind: 'append'; suffix: string } | { at: readonly [string | undefined, string]; kind: 'delete' };
/** Free-text fields keep their valid prefix and gain a nasty suffix: the values that pass every check and reach the database. */
const deepMutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.constantFrom(...['unitName', 'legalRepresentative', 'address'].map((key) => ['unit', key] as const), ['operator', 'name'] as const),
  kind: fc.constant('append' as const),
  suffix: nastyString,
});
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ at: target, kind: fc.constant('set' as const), value: weirdValue }), weight: 5 },
  // Keeps the valid prefix, so the value passes the cheap checks more often and goes deeper.
  { arbitrary: fc.record({ at: target, kind: fc.constant('append' as const), suffix: fc.oneof(nastyString, weirdString) }), weight: 3 },
  { arbitrary: fc.record({ at: target, kind: fc.constant('delete' as const) }), weight: 1 },
);

function mutate(body: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const out = structuredClone(body);
  for (const m of mutations) {
    const [section, key] = m.at;
    let holder: Record<string, unknown> = out;
    if (section !== undefined) {
      const inner = out[section];
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) continue; // replaced by an earlier mutation
      holder = inner as Record<string, unknown>;
    }
    // defineProperty: `__proto__` becomes an own key, as JSON.parse would make it.
    if (m.kind === 'delete') delete holder[key];
    else if (m.kind === 'set') Object.defineProperty(holder, key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else Object.defineProperty(holder, key, { value: `${typeof holder[key] === 'string' ? holder[key] : ''}${m.suffix}`, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HTTP and checks

type Method = 'get' | 'post' | 'put';

/** A body sent as this exact text, declared as JSON: malformed JSON, duplicate keys, poisoned prototypes. */
class RawJson {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `RawJson(${this.text})`;
  }
}
const rawJson = fc
  .oneof(
    fc.constantFrom('', ' ', '{', '[', '{"unit":}', 'nul', '"\\ud800"', '"\\u0000"', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"a":1,"a":2}', '1e999', '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]'),
    fc.string({ unit: 'binary-ascii' }),
    fc.integer({ min: 1, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  )
  .map((text) => new RawJson(text));

/** JSON text exactly as JSON.stringify writes it (top-level strings, numbers, null included); `undefined` sends no body. */
function sendJson(method: Method, path: string, body: unknown, agent?: request.Agent): request.Test {
  const req = (agent ?? request(suite.http))[method](path).set('accept', 'application/json');
  if (body === undefined) return req;
  return req.set('content-type', 'application/json').send(body instanceof RawJson ? body.text : JSON.stringify(body));
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : text;
}

/** Answers by status and code, per test: the depth checks below read them. */
let answers = new Map<string, number>();
beforeEach(() => {
  answers = new Map();
});
const answered = (key: string): number => answers.get(key) ?? 0;

/** Never a 5xx; any error is JSON `{code: string, message: string}`. */
function expectNoServerError(res: request.Response, what: string, input: unknown): void {
  const code = (res.body as { code?: unknown } | undefined)?.code;
  const key = res.status < 400 ? String(res.status) : `${res.status} ${String(code)}`;
  answers.set(key, answered(key) + 1);
  const type = String(res.headers['content-type'] ?? '');
  const body = res.body as { code?: unknown; message?: unknown } | undefined;
  const coded = type.startsWith('application/json') && typeof body?.code === 'string' && typeof body.message === 'string';
  if (res.status >= 500 || (res.status >= 400 && !coded)) {
    throw new Error(`${what} answered ${res.status} (${type}) ${res.text.slice(0, 300)}\n  for ${preview(input)}`);
  }
}

function expectCodedClientError(res: request.Response, what: string, input: unknown): void {
  expectNoServerError(res, what, input);
  if (res.status < 400) throw new Error(`${what} answered ${res.status} ${res.text.slice(0, 300)}\n  for ${preview(input)}`);
}

interface AccountCounts {
  units: number;
  operators: number;
  bindings: number;
  unitsWithoutOperator: number;
  operatorsWithoutUnit: number;
}

async function accountCounts(): Promise<AccountCounts> {
  const db = suite.testApp.app.get(DataSource);
  const rows = await db.query<AccountCounts[]>(`
    SELECT (SELECT count(*) FROM units)::int AS "units",
           (SELECT count(*) FROM operators)::int AS "operators",
           (SELECT count(*) FROM unit_operators)::int AS "bindings",
           (SELECT count(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM unit_operators b WHERE b.unit_id = u.id))::int AS "unitsWithoutOperator",
           (SELECT count(*) FROM operators o WHERE NOT EXISTS (SELECT 1 FROM unit_operators b WHERE b.operator_id = o.id))::int AS "operatorsWithoutUnit"`);
  const row = rows[0];
  if (!row) throw new Error('no counts');
  return row;
}

async function rowsOf(provinceId: string, uscc: unknown, mobile: unknown): Promise<{ units: number; operators: number; bindings: number }> {
  const db = suite.testApp.app.get(DataSource);
  const u = typeof uscc === 'string' ? uscc : '';
  const m = typeof mobile === 'string' ? mobile : '';
  const rows = await db.query<Array<{ units: number; operators: number; bindings: number }>>(
    `SELECT (SELECT count(*) FROM units WHERE province_id = $1 AND uscc = $2)::int AS "units",
            (SELECT count(*) FROM operators WHERE mobile = $3)::int AS "operators",
            (SELECT count(*) FROM unit_operators b JOIN units un ON un.id = b.unit_id JOIN operators o ON o.id = b.operator_id
              WHERE un.province_id = $1 AND un.uscc = $2 AND o.mobile = $3)::int AS "bindings"`,
    [provinceId, u.replace(/\0/g, ''), m.replace(/\0/g, '')],
  );
  return rows[0] ?? { units: -1, operators: -1, bindings: -1 };
}

const province = fc.constantFrom(...PROVINCES);
/** A URL cannot carry a lone surrogate (encodeURIComponent throws); '%ED%A0%80' sends its UTF-8 bytes instead. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const anyProvince = fc.oneof({ arbitrary: province, weight: 9 }, { arbitrary: fc.constantFrom('atlantis', '22', 'JILIN', '%E5%90%89', '..'), weight: 1 });

// ---------------------------------------------------------------------------------------------

describe('fuzz: registration never 500s, nothing half-written (issue item 8)', () => {
  /** Credit codes in the national registry, per province: mutated drafts get past the registry check and fail only on the SMS code. */
  const seeded = new Map<string, string[]>();
  let before: AccountCounts;

  beforeAll(async () => {
    for (const p of PROVINCES) {
      const entries = [];
      for (let i = 0; i < 4; i++) entries.push((await seedRegistryUnit(suite, p)).uscc);
      seeded.set(p, entries);
    }
    before = await accountCounts();
  });

  it('arbitrary JSON bodies (fc.anything, malformed JSON text) get a coded 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyProvince, fc.oneof({ arbitrary: anything, weight: 4 }, { arbitrary: rawJson, weight: 1 }), async (p, body) => {
        const res = await sendJson('post', `/api/v1/provinces/${p}/registrations`, body);
        expectCodedClientError(res, 'registration', body);
      }),
      { numRuns: 400 },
    );
    expect(answered('400 REGISTRATION_INVALID')).toBeGreaterThan(100);
  });

  it('objects shaped like a registration, every value arbitrary, get a coded 4xx', async () => {
    const shaped = fc.record(
      {
        unit: fc.oneof(weirdValue, fc.dictionary(fc.oneof(fc.constantFrom(...UNIT_KEYS), weirdString), weirdValue, { maxKeys: 8 })),
        operator: fc.oneof(weirdValue, fc.dictionary(fc.oneof(fc.constantFrom(...OPERATOR_KEYS), weirdString), weirdValue, { maxKeys: 9 })),
        smsCode: weirdValue,
        captchaId: fc.oneof(weirdValue, fc.uuid()),
        captcha: weirdValue,
        extra: weirdValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(province, fc.oneof(shaped, fc.object({ maxDepth: 3, key: fc.oneof(fc.constantFrom(...TOP_KEYS), fc.string()) })), async (p, body) => {
        const res = await sendJson('post', `/api/v1/provinces/${p}/registrations`, body);
        expectCodedClientError(res, 'registration', body);
      }),
      { numRuns: 400 },
    );
    expect(answered('400 REGISTRATION_INVALID')).toBeGreaterThan(200);
  });

  it('valid drafts with 1-4 fields replaced (types, unicode, NUL, very long, nested, null, deleted) get a coded 4xx without a real SMS code', async () => {
    await fc.assert(
      fc.asyncProperty(province, fc.nat(3), fc.array(fc.oneof({ arbitrary: mutation, weight: 3 }, { arbitrary: deepMutation, weight: 1 }), { minLength: 1, maxLength: 4 }), fc.nat(3), async (p, pick, mutations, dice) => {
        const uscc = seeded.get(p)?.[pick] ?? freshUscc();
        const draft = draftFor(uscc);
        // A 6-digit code nobody sent: valid in form, so the body goes as deep as the SMS check.
        const body: Record<string, unknown> = { ...draft, smsCode: '000000' };
        // A solved captcha for one in four of the provinces that ask for one (two requests more each).
        if (REGISTRATION_CAPTCHA.has(p) && dice === 0) Object.assign(body, await solvedCaptcha(suite.http, p));
        const sent = mutate(body, mutations);
        const res = await sendJson('post', `/api/v1/provinces/${p}/registrations`, sent);
        expectCodedClientError(res, 'registration', sent);
      }),
      { numRuns: 1200 },
    );
    // Not vacuous: a share of the mutated bodies passed every check but the SMS code.
    expect(answered('400 SMS_CODE_EXPIRED')).toBeGreaterThan(50);
  });

  it('after all of them: no unit, operator or binding was written, none is half there', async () => {
    const after = await accountCounts();
    expect(after).toEqual(before);
    expect(after.unitsWithoutOperator).toBe(0);
    expect(after.operatorsWithoutUnit).toBe(0);
  });

  it('valid bodies with a real SMS code and one field mutated: 201 with unit, operator and binding, or a coded 4xx with none', async () => {
    const outcomes = { created: 0, refused: 0, existingOperator: 0 };
    /** Operators registered so far: a later draft may name one (JL-3: bound with their existing password). */
    const operators: Array<{ mobile: string; password: string }> = [];
    await fc.assert(
      fc.asyncProperty(fc.nat(PROVINCES.length - 1), fc.option(fc.oneof(mutation, deepMutation), { freq: 5, nil: undefined }), fc.nat(2), async (index, m, reuse) => {
        // An hour later each time: the per-IP SMS limit (30/h) and per-phone limits never run out, shrinking included.
        clock.advance(61 * 60 * 1000);
        const p: Province = PROVINCES[index] ?? 'hunan';
        const entry = await seedRegistryUnit(suite, p);
        const existing = reuse === 0 ? operators.at(-1) : undefined;
        const draft = draftFor(entry.uscc, existing);
        const body: Record<string, unknown> = { ...draft, smsCode: await smsCode(suite.http, p, draft.operator.mobile ?? '') };
        if (REGISTRATION_CAPTCHA.has(p)) Object.assign(body, await solvedCaptcha(suite.http, p));
        const sent = m ? mutate(body, [m]) : body;
        const countsBefore = await accountCounts();
        const res = await sendJson('post', `/api/v1/provinces/${p}/registrations`, sent);
        const countsAfter = await accountCounts();
        const sentUnit = (sent.unit ?? {}) as Record<string, unknown>;
        const sentOperator = (sent.operator ?? {}) as Record<string, unknown>;
        const mine = await rowsOf(p, typeof sentUnit.uscc === 'string' ? sentUnit.uscc.trim().toUpperCase() : entry.uscc, typeof sentOperator.mobile === 'string' ? sentOperator.mobile.trim() : draft.operator.mobile);
        expectNoServerError(res, 'registration', sent);
        if (res.status === 201) {
          outcomes.created++;
          const operatorExisted = (res.body as { operatorExisted?: unknown }).operatorExisted === true;
          if (operatorExisted) outcomes.existingOperator++;
          else operators.push({ mobile: String(sentOperator.mobile).trim(), password: String(sentOperator.password) });
          expect(mine).toEqual({ units: 1, operators: 1, bindings: 1 });
          expect(countsAfter.units - countsBefore.units).toBe(1);
          expect(countsAfter.bindings - countsBefore.bindings).toBe(1);
          expect(countsAfter.operators - countsBefore.operators).toBe(operatorExisted ? 0 : 1);
        } else {
          outcomes.refused++;
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(mine.units).toBe(0);
          expect(mine.bindings).toBe(0);
          expect(countsAfter).toEqual(countsBefore);
        }
        expect(countsAfter.unitsWithoutOperator).toBe(0);
        expect(countsAfter.operatorsWithoutUnit).toBe(0);
      }),
      { numRuns: 30 },
    );
    // Both branches ran: some bodies were still valid after their mutation (or had none), some were not.
    expect(outcomes.created).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

describe('fuzz: sessions never 500 (issue item 8)', () => {
  /** Real accounts, so generated bodies name existing accounts too. */
  const jilin = { unitAccount: '', unitPassword: '', uscc: '', mobile: '', password: '' };

  beforeAll(async () => {
    const entry = await seedRegistryUnit(suite, 'jilin');
    const draft = draftFor(entry.uscc);
    const res = await register(suite.http, 'jilin', draft);
    if (res.status !== 201) throw new Error(`registration for the sessions fuzz failed: ${res.status} ${res.text}`);
    Object.assign(jilin, { unitAccount: draft.unit.unitAccount, unitPassword: draft.unit.unitPassword, uscc: entry.uscc, mobile: draft.operator.mobile, password: draft.operator.password });
  });

  const realMethod = fc.constantFrom('password', 'credit-code', 'qr', 'ca');
  const realAccounts = () => fc.constantFrom(jilin.unitAccount, jilin.mobile, jilin.uscc, jilin.uscc.toLowerCase(), ` ${jilin.unitAccount} `, jilin.unitAccount.toUpperCase());
  const unknownMobile = fc.constant(null).map(() => freshMobile());
  const loginFields = () => ({
    method: fc.oneof({ arbitrary: realMethod, weight: 4 }, { arbitrary: weirdValue, weight: 1 }),
    account: fc.oneof(realAccounts(), unknownMobile, weirdValue),
    password: fc.oneof(fc.constantFrom(jilin.unitPassword, jilin.password), weirdValue),
    // Random ids and answers: the captcha check refuses them before any account lookup or argon2.
    captchaId: fc.oneof({ arbitrary: fc.uuid(), weight: 3 }, { arbitrary: weirdValue, weight: 1 }),
    captcha: fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 6 }), weight: 3 }, { arbitrary: weirdValue, weight: 1 }),
    ticketId: fc.oneof(fc.uuid(), weirdValue),
    pollToken: weirdValue,
  });
  /** Half with every field present (so they get as far as the captcha), half with any of them missing. */
  const loginBody = () => fc.oneof(fc.record(loginFields()), fc.record(loginFields(), { requiredKeys: [] }));

  it('arbitrary JSON bodies (fc.anything, malformed JSON text) get a coded 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyProvince, fc.oneof({ arbitrary: anything, weight: 4 }, { arbitrary: rawJson, weight: 1 }), async (p, body) => {
        const res = await sendJson('post', `/api/v1/provinces/${p}/sessions`, body);
        expectCodedClientError(res, 'login', body);
      }),
      { numRuns: 500 },
    );
  });

  it('login-shaped bodies (real and random methods, accounts of every shape, long/unicode passwords, random captchas) get a coded 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyProvince, loginBody(), async (p, body) => {
        const res = await sendJson('post', `/api/v1/provinces/${p}/sessions`, body);
        // No valid captcha: nothing here reaches a password check, so nothing can succeed.
        expectCodedClientError(res, 'login', body);
      }),
      { numRuns: 1500 },
    );
    expect(answered('400 CAPTCHA_EXPIRED')).toBeGreaterThan(40);
  });

  it('with a solved captcha (these reach argon2: few cases), random accounts and passwords never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('password', 'credit-code'),
        fc.oneof(realAccounts(), unknownMobile, weirdString, nastyString.map((s) => `unit${s}x`)),
        fc.oneof(fc.constantFrom(jilin.unitPassword, jilin.password), weirdString),
        async (method, account, password) => {
          const body = { method, account, password, ...(await solvedCaptcha(suite.http, 'jilin')) };
          const res = await sendJson('post', '/api/v1/provinces/jilin/sessions', body);
          expectNoServerError(res, 'login', body);
        },
      ),
      { numRuns: 40 },
    );
    expect(answered('401 INVALID_CREDENTIALS')).toBeGreaterThan(5);
  });
});

describe('fuzz: session choices and QR routes never 500 (issue item 8)', () => {
  const agents = new Map<string, request.Agent>();
  const ids = { jilinUnitId: '', hunanUnitId: '', neimengguUnitId: '', ticketId: '', pollToken: '' };
  const INSTITUTIONS = ['H15010000001', 'H15010000002'];

  beforeAll(async () => {
    // Jilin: a unit account. Hunan: a unit account where QR login is offered (HN-1). Neimenggu: the
    // operator of a medical institution with two institutions, so the unit choice and the final
    // institution choice (NM-4, NM-5) are both open.
    const make = async (p: Province, roleTypes?: string[]) => {
      const institutions = roleTypes ? INSTITUTIONS.map((code, i) => ({ code, name: `测试医院${i}`, kind: i === 0 ? ('main' as const) : ('branch' as const) })) : [];
      const entry = await seedRegistryUnit(suite, p, { roleTypes, institutions });
      const draft = draftFor(entry.uscc);
      const res = await register(suite.http, p, draft);
      if (res.status !== 201) throw new Error(`registration in ${p} failed: ${res.status} ${res.text}`);
      return { draft, unitId: (res.body as { unit: { id: string } }).unit.id };
    };
    const j = await make('jilin');
    const h = await make('hunan');
    const n = await make('neimenggu', ['medical-institution']);
    for (const [name, p, account, password] of [
      ['jilin-unit', 'jilin', j.draft.unit.unitAccount, j.draft.unit.unitPassword],
      ['hunan-unit', 'hunan', h.draft.unit.unitAccount, h.draft.unit.unitPassword],
      ['neimenggu-operator', 'neimenggu', n.draft.operator.mobile, n.draft.operator.password],
    ] as const) {
      const agent = request.agent(suite.http);
      const res = await login(agent, suite.http, p, account ?? '', password ?? '');
      if (res.status !== 201) throw new Error(`login in ${p} failed: ${res.status} ${res.text}`);
      agents.set(name, agent);
    }
    Object.assign(ids, { jilinUnitId: j.unitId, hunanUnitId: h.unitId, neimengguUnitId: n.unitId });
    const issued = (await request(suite.http).post('/api/v1/provinces/hunan/qr-logins').expect(201)).body as { ticketId: string; pollToken: string };
    Object.assign(ids, { ticketId: issued.ticketId, pollToken: issued.pollToken });
  });

  /** Mostly a signed-in actor on its own province's routes (past the session guard), sometimes anyone anywhere. */
  const caller = fc.oneof(
    { arbitrary: fc.constantFrom(['jilin-unit', 'jilin'] as const, ['hunan-unit', 'hunan'] as const, ['neimenggu-operator', 'neimenggu'] as const), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom('jilin-unit', 'hunan-unit', 'neimenggu-operator', 'anonymous'), anyProvince), weight: 1 },
  );
  /**
   * Path segments: real ids, UUIDs, arbitrary strings (percent-encoded, so the URL stays a URL) and
   * broken encodings. At most 8000 characters: a request line past Node's 16 KiB header limit never
   * reaches a route (the coded 431 of app-factory's clientError handler, tested in profiles-api).
   */
  const segment = () =>
    fc.oneof(
      fc.constantFrom(ids.ticketId, ids.jilinUnitId, randomUUID(), ids.ticketId.toUpperCase()),
      fc.uuid(),
      weirdString.map((s) => encodeURIComponent(s.replace(LONE_SURROGATE, '\ufffd'))).filter((s) => s.length > 0 && s.length <= 8000),
      fc.constantFrom('..', '.', '%', '%zz', '%00', '%ED%A0%80', 'a'.repeat(5000)),
    );

  it('PUT …/session/unit with arbitrary bodies', async () => {
    const body = fc.oneof(anything, rawJson, fc.record({ unitId: fc.oneof(fc.constantFrom(ids.jilinUnitId, ids.hunanUnitId, ids.neimengguUnitId, ids.jilinUnitId.toUpperCase()), fc.uuid(), weirdValue) }));
    await fc.assert(
      fc.asyncProperty(caller, body, async ([who, p], b) => {
        const res = await sendJson('put', `/api/v1/provinces/${p}/session/unit`, b, agents.get(who));
        expectNoServerError(res, 'PUT session/unit', { who, p, b });
      }),
      { numRuns: 300 },
    );
    expect(answered('400 UNIT_CHOICE_INVALID')).toBeGreaterThan(20);
  });

  it('PUT …/session/institution with arbitrary bodies', async () => {
    // The Neimenggu operator has chosen their unit (or does now), so the institution choice is really open.
    await sendJson('put', '/api/v1/provinces/neimenggu/session/unit', { unitId: ids.neimengguUnitId }, agents.get('neimenggu-operator')).expect(200);
    const body = fc.oneof(anything, rawJson, fc.record({ institutionCode: fc.oneof(fc.constantFrom(...INSTITUTIONS, INSTITUTIONS[0]?.toLowerCase(), ` ${INSTITUTIONS[0]}`), weirdValue) }));
    await fc.assert(
      fc.asyncProperty(caller, body, async ([who, p], b) => {
        const res = await sendJson('put', `/api/v1/provinces/${p}/session/institution`, b, agents.get(who));
        expectNoServerError(res, 'PUT session/institution', { who, p, b });
      }),
      { numRuns: 300 },
    );
    expect(answered('400 INSTITUTION_CHOICE_INVALID')).toBeGreaterThan(20);
  });

  it('POST …/qr-logins/{random}/approval', async () => {
    await fc.assert(
      fc.asyncProperty(caller, segment(), fc.oneof(fc.constant(undefined), anything, rawJson), async ([who, p], ticket, b) => {
        const res = await sendJson('post', `/api/v1/provinces/${p}/qr-logins/${ticket}/approval`, b, agents.get(who));
        expectNoServerError(res, 'POST qr approval', { who, p, ticket, b });
      }),
      { numRuns: 300 },
    );
    expect(answered('410 QR_TICKET_INVALID')).toBeGreaterThan(20);
  });

  it('GET …/qr-logins/{random} with random poll tokens', async () => {
    const token = fc.oneof(fc.constant(ids.pollToken), fc.string(), fc.base64String(), fc.string({ unit: 'binary-ascii' }).map((t) => t.replace(/[^\t\x20-\x7e]/g, '')), fc.constant(undefined));
    const where = fc.oneof({ arbitrary: fc.constant('hunan'), weight: 3 }, { arbitrary: anyProvince, weight: 1 });
    await fc.assert(
      fc.asyncProperty(where, segment(), token, async (p, ticket, pollToken) => {
        let req = request(suite.http).get(`/api/v1/provinces/${p}/qr-logins/${ticket}`).set('accept', 'application/json');
        if (pollToken !== undefined) req = req.set('x-poll-token', pollToken);
        const res = await req;
        expectNoServerError(res, 'GET qr status', { p, ticket, pollToken });
      }),
      { numRuns: 300 },
    );
    expect(answered('200')).toBeGreaterThan(50);
  });
});

describe('fuzz: recovery routes never 500 (issue item 8)', () => {
  const recoveryBody = () =>
    fc.record(
      {
        method: fc.oneof(fc.constantFrom('unit-info', 'credit-code'), weirdValue),
        account: fc.oneof(weirdString, freshMobileArbitrary()),
        uscc: fc.oneof(weirdString, fc.constant(freshUscc('220100')), fc.constant('a\u0000')),
        unit: fc.oneof(fc.dictionary(fc.constantFrom(...UNIT_KEYS), weirdValue, { maxKeys: 5 }), weirdValue),
        smsCode: fc.oneof(fc.stringMatching(/^\d{6}$/), weirdValue),
        newPassword: weirdValue,
        confirmPassword: weirdValue,
        captchaId: fc.oneof(fc.uuid(), weirdValue),
        captcha: weirdValue,
      },
      { requiredKeys: [] },
    );

  for (const [route, path] of [
    ['unit-account lookups', 'unit-account-lookups'],
    ['reset SMS codes', 'password-resets/sms-codes'],
    ['password resets', 'password-resets'],
  ] as const) {
    it(`POST …/${path} (${route}) with arbitrary bodies gets a coded 4xx`, async () => {
      await fc.assert(
        fc.asyncProperty(anyProvince, fc.oneof({ arbitrary: recoveryBody(), weight: 4 }, { arbitrary: anything, weight: 1 }), async (p, body) => {
          const res = await sendJson('post', `/api/v1/provinces/${p}/${path}`, body);
          expectCodedClientError(res, route, body);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('fuzz: recovery past the captcha never 500s (issue item 8)', () => {
  it('unit-info resets and lookups with a solved captcha and arbitrary accounts, codes and details', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('unit-info', 'lookup'), weirdString, fc.dictionary(fc.constantFrom(...UNIT_KEYS), weirdValue, { maxKeys: 4 }), async (kind, value, unit) => {
        const captcha = await solvedCaptcha(suite.http, 'jilin');
        const [path, body] =
          kind === 'lookup'
            ? (['unit-account-lookups', { uscc: value, ...captcha }] as const)
            : (['password-resets', { method: 'unit-info', account: value, unit, newPassword: 'Renewed#2026', confirmPassword: 'Renewed#2026', ...captcha }] as const);
        const res = await sendJson('post', `/api/v1/provinces/jilin/${path}`, body);
        expectCodedClientError(res, kind, body);
      }),
      { numRuns: 60 },
    );
  });
});

function freshMobileArbitrary(): fc.Arbitrary<string> {
  return fc.constant(null).map(() => freshMobile());
}
