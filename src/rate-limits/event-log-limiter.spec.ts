import { EventLogLimiter, type Queryable } from '#src/rate-limits/event-log-limiter.js';

interface Row {
  kind: string;
  province_id: string;
  subject: string;
  at: Date;
}

/** rate_limit_events in memory, answering the limiter's three statements by their parameters. */
function fakeTable(rows: Row[]): Queryable {
  const query = (sql: string, params: unknown[] = []) => {
    if (sql.startsWith('SELECT')) {
      const [kind, province, subject, since] = params as [string, string, string, Date];
      return Promise.resolve(rows.filter((r) => r.kind === kind && r.province_id === province && r.subject === subject && r.at > since).map((r) => ({ at: r.at })));
    }
    if (sql.startsWith('INSERT')) {
      const [kind, province, subject, at] = params as [string, string, string, Date];
      rows.push({ kind, province_id: province, subject, at });
      return Promise.resolve([]);
    }
    const [kind, before] = params as [string, Date];
    rows.splice(0, rows.length, ...rows.filter((r) => r.kind !== kind || r.at > before));
    return Promise.resolve([]);
  };
  return { query } as unknown as Queryable;
}

describe('EventLogLimiter', () => {
  it('allows max events per window per province and subject, and says when the next one may come', async () => {
    let now = 0;
    const rows: Row[] = [];
    const limiter = new EventLogLimiter(fakeTable(rows), 'feedback', { max: 2, windowSeconds: 60 }, () => new Date(now));
    expect(await limiter.retryAfterSeconds('anhui', '1.2.3.4')).toBe(0);
    await limiter.record('anhui', '1.2.3.4');
    now = 10_000;
    await limiter.record('anhui', '1.2.3.4');
    expect(await limiter.retryAfterSeconds('anhui', '1.2.3.4')).toBe(50);
    expect(await limiter.retryAfterSeconds('anhui', '5.6.7.8')).toBe(0);
    expect(await limiter.retryAfterSeconds('hunan', '1.2.3.4')).toBe(0);
    now = 60_001;
    expect(await limiter.retryAfterSeconds('anhui', '1.2.3.4')).toBe(0);
  });

  it('sweeps only its own rows that no window counts any more', async () => {
    let now = 0;
    const rows: Row[] = [{ kind: 'other', province_id: 'anhui', subject: 'x', at: new Date(0) }];
    const limiter = new EventLogLimiter(fakeTable(rows), 'feedback', { max: 2, windowSeconds: 60 }, () => new Date(now));
    await limiter.record('anhui', 'old');
    now = 50_000;
    await limiter.record('anhui', 'new');
    now = 70_000;
    await limiter.sweep();
    expect(rows.map((r) => r.subject)).toEqual(['x', 'new']);
  });
});
