/**
 * Sliding-window rate limits as pure functions over a log of event times, with an exact
 * Retry-After: SMS sends (src/verification/send-limits.ts) and feedback submissions use the same
 * arithmetic, whatever stores their logs.
 */
export interface RateLimit {
  windowSeconds: number;
  max: number;
}

export interface LimitVerdict {
  allowed: boolean;
  /** 0 when allowed; else whole seconds until every exceeded window has room again. */
  retryAfterSeconds: number;
}

/**
 * Would one more send fit? `sends` are earlier send times (any order). A send at `t` counts in a
 * window while `t > now - window`; when the window is full, room comes back when its max-th newest
 * send leaves it.
 */
export function checkLimits(sends: readonly Date[], limits: readonly RateLimit[], now: Date): LimitVerdict {
  const newestFirst = [...sends].map((d) => d.getTime()).sort((a, b) => b - a);
  let waitMs = 0;
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000;
    const inWindow = newestFirst.filter((t) => t > now.getTime() - windowMs);
    if (inWindow.length < limit.max) continue;
    const leaving = inWindow[limit.max - 1] ?? now.getTime();
    waitMs = Math.max(waitMs, leaving + windowMs - now.getTime());
  }
  return { allowed: waitMs === 0, retryAfterSeconds: Math.ceil(waitMs / 1000) };
}
