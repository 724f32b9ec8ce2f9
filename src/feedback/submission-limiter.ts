/**
 * A sliding-window count of accepted submissions per key (province + client address), in memory:
 * enough to keep one client from filling the database with screenshots. Per process, like the
 * portal itself; a shared store can replace it behind the same two methods.
 */
export class SubmissionLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `key` may submit again, or 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const recent = this.recent(key);
    const oldest = recent[0];
    return recent.length < this.max || oldest === undefined ? 0 : Math.ceil((oldest + this.windowMs - this.now()) / 1000);
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
