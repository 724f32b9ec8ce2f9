/**
 * SMS send limits as pure functions over a log of send times (sliding windows, exact Retry-After).
 *
 * Decision (DESIGN.md, SMS): a phone's budget is per province and shared by every purpose — the
 * abuse it stops (texting someone over and over) does not care why, and each province is its own
 * sender with its own profile limits. The per-IP budget is per province too.
 */
export interface RateLimit {
  windowSeconds: number;
  max: number;
}

/** DESIGN.md's floor: 1 per 60 s, 5 per hour, 10 per 24 h. */
export const BUILT_IN_PHONE_LIMITS: readonly RateLimit[] = [
  { windowSeconds: 60, max: 1 },
  { windowSeconds: 3600, max: 5 },
  { windowSeconds: 86400, max: 10 },
];

/**
 * The built-in limits plus the profile's, all enforced: a profile can add or tighten a window, and
 * loosening one has no effect because the built-in one still applies.
 */
export function effectivePhoneLimits(profileLimits: readonly RateLimit[]): RateLimit[] {
  const all = [...BUILT_IN_PHONE_LIMITS, ...profileLimits];
  return all.filter((limit, i) => all.findIndex((other) => other.windowSeconds === limit.windowSeconds && other.max === limit.max) === i);
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

/** After a send at `now`: how long until the next one would be allowed (the 202's resendAfterSeconds). */
export function resendAfterSeconds(sends: readonly Date[], limits: readonly RateLimit[], now: Date): number {
  return checkLimits([...sends, now], limits, now).retryAfterSeconds;
}

export function longestWindowSeconds(limits: readonly RateLimit[]): number {
  return Math.max(0, ...limits.map((l) => l.windowSeconds));
}
