import { AppException } from '#src/errors/app-exception.js';
import { auditQueryParams, beijingIso, beijingLocalInput, beijingTime, decodeCursor, encodeCursor, parseAuditQuery } from '#src/administration/audit-query.js';

function fieldsOf(run: () => unknown): Record<string, string> {
  try {
    run();
  } catch (error) {
    if (error instanceof AppException) return error.fields ?? {};
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseAuditQuery', () => {
  it('reads a unit as an id or a credit code, an actor as an id or an account, a kind prefix, an outcome', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(parseAuditQuery({ unit: id.toUpperCase(), actor: id, kind: 'Operator.', outcome: 'failure' }, 'iso')).toMatchObject({ unit: { id }, actor: { id }, kindPrefix: 'operator.', outcome: 'failure', limit: 50 });
    expect(parseAuditQuery({ unit: '91220100ma0bulk001', actor: '  zhang.san ' }, 'iso')).toMatchObject({ unit: { uscc: '91220100MA0BULK001' }, actor: { account: 'zhang.san' } });
    expect(parseAuditQuery({ unit: ['', 'x'], kind: '' }, 'iso')).toEqual({ limit: 50, from: undefined, to: undefined });
  });

  it('takes ISO times with a zone in the API, inclusive at both ends', () => {
    const q = parseAuditQuery({ from: '2025-12-01T10:00:00+08:00', to: '2025-12-01T03:00:00.5Z' }, 'iso');
    expect(q.from?.toISOString()).toBe('2025-12-01T02:00:00.000Z');
    expect(q.to?.toISOString()).toBe('2025-12-01T03:00:00.500Z');
    expect(fieldsOf(() => parseAuditQuery({ from: '2025-12-01T10:00:00', to: '2025-02-30T00:00:00Z' }, 'iso'))).toEqual({ from: expect.stringContaining('ISO 8601') as unknown, to: expect.stringContaining('ISO 8601') as unknown });
  });

  it('reads the form’s datetime-local values as Beijing time, the end minute included', () => {
    const q = parseAuditQuery({ from: '2025-12-01T00:00', to: '2025-12-01T23:59' }, 'beijing-local');
    expect(q.from?.toISOString()).toBe('2025-11-30T16:00:00.000Z');
    expect(q.to?.toISOString()).toBe('2025-12-01T15:59:59.999Z');
    expect(beijingLocalInput(q.to ?? new Date(0))).toBe('2025-12-01T23:59');
    expect(fieldsOf(() => parseAuditQuery({ from: '2025-12-01T10:00+08:00' }, 'beijing-local'))).toEqual({ from: expect.stringContaining('北京时间') as unknown });
    expect(fieldsOf(() => parseAuditQuery({ from: '2025-12-02T00:00', to: '2025-12-01T00:00' }, 'beijing-local'))).toEqual({ to: '结束时间不能早于开始时间' });
  });

  it('reports every bad field at once', () => {
    expect(Object.keys(fieldsOf(() => parseAuditQuery({ unit: 'x', kind: '%', outcome: 'maybe', cursor: '!!', limit: '500', actor: 'a\u0000b' }, 'iso'))).sort()).toEqual(['actor', 'cursor', 'kind', 'limit', 'outcome', 'unit']);
  });
});

describe('cursors', () => {
  it('round-trip, and anything else is refused rather than reaching the query', () => {
    const cursor = { at: '2025-12-01T02:00:00.123456Z', id: '42' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const at of ['2025-13-45T99:99:99.000000Z', '2025-12-01T02:00:00Z', "2025-12-01T02:00:00.123456Z'--"]) expect(decodeCursor(encodeCursor({ at, id: '1' }))).toBeUndefined();
    expect(decodeCursor(encodeCursor({ at: cursor.at, id: '1e9' }))).toBeUndefined();
    expect(decodeCursor(Buffer.from(`${cursor.at}|1|2`).toString('base64url'))).toBeUndefined();
  });
});

describe('Beijing time', () => {
  it('shows and links moments in UTC+8', () => {
    const at = new Date('2025-11-30T16:30:05.250Z');
    expect(beijingTime(at)).toBe('2025-12-01 00:30:05');
    expect(beijingIso(at)).toBe('2025-12-01T00:30:05.250+08:00');
    expect(auditQueryParams(parseAuditQuery({ kind: 'login.', from: '2025-12-01T00:30' }, 'beijing-local')).toString()).toBe('kind=login.&from=2025-12-01T00%3A30%3A00.000%2B08%3A00');
  });
});
