/**
 * SMS send limits: the built-in floor and the profile's windows, over src/rate-limits/sliding-window.
 *
 * Decision (DESIGN.md, SMS): a phone's budget is per province and shared by every purpose — the
 * abuse it stops (texting someone over and over) does not care why, and each province is its own
 * sender with its own profile limits. The per-IP budget is per province too.
 */
import { checkLimits, type RateLimit } from '#src/rate-limits/sliding-window.js';

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

/** After a send at `now`: how long until the next one would be allowed (the 202's resendAfterSeconds). */
export function resendAfterSeconds(sends: readonly Date[], limits: readonly RateLimit[], now: Date): number {
  return checkLimits([...sends, now], limits, now).retryAfterSeconds;
}

export function longestWindowSeconds(limits: readonly RateLimit[]): number {
  return Math.max(0, ...limits.map((l) => l.windowSeconds));
}
