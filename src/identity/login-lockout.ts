import { RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

/**
 * Keycloak's brute-force defaults (DESIGN.md): after 30 failures within 12 h the subject waits 60 s,
 * each further failure adds 60 s, never more than 15 min. A client address gets more room, since
 * a whole office may sit behind one.
 */
export interface LockoutPolicy {
  maxFailures: number;
  waitIncrementSeconds: number;
  maxWaitSeconds: number;
}

/** Failures older than this are forgotten (Keycloak's failure reset time). */
export const FAILURE_WINDOW_SECONDS = 12 * 3600;
export const ACCOUNT_LOCKOUT: LockoutPolicy = { maxFailures: 30, waitIncrementSeconds: 60, maxWaitSeconds: 900 };
export const ADDRESS_LOCKOUT: LockoutPolicy = { maxFailures: 100, waitIncrementSeconds: 60, maxWaitSeconds: 900 };

export interface LockoutSubject {
  key: string;
  policy: LockoutPolicy;
}

export interface FailureOutcome {
  /** Failures counted for each subject so far. */
  failures: number[];
  /** Seconds until the next try is accepted; 0 when not locked. */
  lockedForSeconds: number;
}

/**
 * Progressive lockout on rate-limiter-flexible: one limiter counts failures, another holds the
 * locks, both in shared storage (PostgreSQL tables login_failures / login_locks, or Redis), so every
 * node counts the same failures.
 */
export class LoginLockout {
  constructor(
    private readonly failuresLimiter: RateLimiterAbstract,
    private readonly locks: RateLimiterAbstract,
  ) {}

  static postgres(db: DataSource): LoginLockout {
    // The pg pool behind TypeORM: limiter statements never run inside a transaction.
    const pool = (db.driver as unknown as { master: unknown }).master;
    const common = { storeClient: pool, storeType: 'pool', tableCreated: true, keyPrefix: 'login' };
    return new LoginLockout(
      new RateLimiterPostgres({ ...common, tableName: 'login_failures', points: 1_000_000, duration: FAILURE_WINDOW_SECONDS }),
      new RateLimiterPostgres({ ...common, tableName: 'login_locks', points: 1, duration: 1 }),
    );
  }

  static redis(redis: Redis, prefix: string): LoginLockout {
    return new LoginLockout(
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:login-failures`, points: 1_000_000, duration: FAILURE_WINDOW_SECONDS }),
      new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:login-locks`, points: 1, duration: 1 }),
    );
  }

  /** Seconds the longest lock of these subjects still runs; 0 when none is locked. */
  async lockedForSeconds(subjects: readonly LockoutSubject[]): Promise<number> {
    const locks = await Promise.all(subjects.map(({ key }) => this.locks.get(key)));
    return Math.max(0, ...locks.map((lock) => (lock && lock.consumedPoints > 1 ? Math.ceil(lock.msBeforeNext / 1000) : 0)));
  }

  async recordFailure(subjects: readonly LockoutSubject[]): Promise<FailureOutcome> {
    const failures: number[] = [];
    let lockedForSeconds = 0;
    for (const { key, policy } of subjects) {
      const counted = await this.failuresLimiter.penalty(key, 1);
      failures.push(counted.consumedPoints);
      const over = counted.consumedPoints - policy.maxFailures;
      if (over >= 0) {
        const wait = Math.min(policy.waitIncrementSeconds * (over + 1), policy.maxWaitSeconds);
        await this.locks.block(key, wait);
        lockedForSeconds = Math.max(lockedForSeconds, wait);
      }
    }
    return { failures, lockedForSeconds };
  }

  /** A right password clears the account's count (never the address's: that one only decays). */
  async recordSuccess(subject: LockoutSubject): Promise<void> {
    await this.failuresLimiter.delete(subject.key);
  }
}
