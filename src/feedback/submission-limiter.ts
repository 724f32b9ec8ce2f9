import { checkLimits, type RateLimit } from '#src/rate-limits/sliding-window.js';

/**
 * Accepted submissions per key (province + client address), logged in memory: enough to keep one
 * client from filling the database with screenshots. Per process, like the portal itself; a shared
 * store can replace the log behind the same two methods. The window arithmetic is the SMS limits'.
 */
export class SubmissionLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly limit: RateLimit;

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = { max, windowSeconds: windowMs / 1000 };
  }

  /** Seconds until `key` may submit again, or 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const times = this.recent(key).map((t) => new Date(t));
    return checkLimits(times, [this.limit], new Date(this.now())).retryAfterSeconds;
  }

  record(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.sweep();
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.hits.get(key) ?? []).filter((t) => t > since);
  }

  private sweep(): void {
    for (const key of [...this.hits.keys()]) {
      const recent = this.recent(key);
      if (recent.length === 0) this.hits.delete(key);
      else this.hits.set(key, recent);
    }
  }
}
