import { InlineSmsQueue } from '#src/sms/inline-sms-queue.js';
import { PermanentJobError, type SmsJob } from '#src/sms/sms-queue.js';

const job = (id: string): SmsJob => ({ messageId: id, provinceId: 'hunan' });

describe('InlineSmsQueue', () => {
  it('runs each job once, deduplicated by message id', async () => {
    const seen: string[] = [];
    const queue = new InlineSmsQueue((j) => Promise.resolve(seen.push(j.messageId)));
    await Promise.all([queue.enqueue(job('a')), queue.enqueue(job('a')), queue.enqueue(job('b'))]);
    await queue.whenIdle();
    expect(seen.sort()).toEqual(['a', 'b']);
    await queue.close();
  });

  it('retries with exponential backoff until it succeeds, telling each failure', async () => {
    let tries = 0;
    const failures: Array<[number, boolean]> = [];
    const queue = new InlineSmsQueue(
      () => {
        tries += 1;
        return tries < 3 ? Promise.reject(new Error('provider down')) : Promise.resolve();
      },
      { backoffBaseMs: 1, onFailure: (_job, _error, attempt, final) => failures.push([attempt, final]) },
    );
    await queue.enqueue(job('c'));
    await queue.whenIdle();
    expect(tries).toBe(3);
    expect(failures).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(await queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    await queue.close();
  });

  it('gives up after 5 attempts, and at once on a PermanentJobError', async () => {
    let tries = 0;
    const queue = new InlineSmsQueue(
      (j) => {
        tries += 1;
        return Promise.reject(j.messageId === 'p' ? new PermanentJobError('bad number') : new Error('down'));
      },
      { backoffBaseMs: 1 },
    );
    await queue.enqueue(job('r'));
    await queue.whenIdle();
    expect(tries).toBe(5);
    await queue.enqueue(job('p'));
    await queue.whenIdle();
    expect(tries).toBe(6);
    expect((await queue.depth()).failed).toBe(2);
    await queue.close();
  });

  it('keeps to its concurrency and reports depth', async () => {
    const release: Array<() => void> = [];
    const queue = new InlineSmsQueue(() => new Promise<void>((resolve) => release.push(resolve)), { concurrency: 2 });
    for (const id of ['1', '2', '3', '4']) await queue.enqueue(job(id));
    expect(await queue.depth()).toEqual({ waiting: 2, active: 2, delayed: 0, failed: 0 });
    while (release.length > 0) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await queue.whenIdle();
    await queue.close();
  });

  it('on close waits for running jobs, drops waiting and scheduled ones, and refuses new work', async () => {
    let finish: () => void = () => undefined;
    const started: string[] = [];
    const queue = new InlineSmsQueue(
      (j) => {
        started.push(j.messageId);
        return new Promise<void>((resolve) => (finish = resolve));
      },
      { concurrency: 1 },
    );
    await queue.enqueue(job('x'));
    await queue.enqueue(job('y'));
    const closing = queue.close();
    finish();
    await closing;
    expect(started).toEqual(['x']);
    await expect(queue.enqueue(job('z'))).rejects.toThrow('短信队列已关闭');
  });
});
