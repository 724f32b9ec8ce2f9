import { checkLimits } from '#src/rate-limits/sliding-window.js';
import { BUILT_IN_PHONE_LIMITS, effectivePhoneLimits, resendAfterSeconds } from '#src/verification/send-limits.js';

const T0 = new Date('2025-03-01T08:00:00Z').getTime();
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe('send limits (DESIGN.md SMS: per phone 1/60 s, 5/h, 10/24 h)', () => {
  it('allows the first send and asks 60 s before the next', () => {
    expect(checkLimits([], BUILT_IN_PHONE_LIMITS, at(0))).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(resendAfterSeconds([], BUILT_IN_PHONE_LIMITS, at(0))).toBe(60);
  });

  it('refuses a second send inside 60 s with the exact wait, and allows it at 60 s', () => {
    expect(checkLimits([at(0)], BUILT_IN_PHONE_LIMITS, at(45))).toEqual({ allowed: false, retryAfterSeconds: 15 });
    expect(checkLimits([at(0)], BUILT_IN_PHONE_LIMITS, at(60)).allowed).toBe(true);
  });

  it('refuses the sixth send in an hour until the first leaves the window', () => {
    const five = [0, 61, 122, 183, 244].map(at);
    expect(checkLimits(five, BUILT_IN_PHONE_LIMITS, at(305))).toEqual({ allowed: false, retryAfterSeconds: 3600 - 305 });
    expect(checkLimits(five, BUILT_IN_PHONE_LIMITS, at(3600)).allowed).toBe(true);
  });

  it('refuses the eleventh send in 24 h, counting sends hours apart', () => {
    const ten = Array.from({ length: 10 }, (_, i) => at(i * 3601));
    const now = at(10 * 3601);
    expect(checkLimits(ten, BUILT_IN_PHONE_LIMITS, now)).toEqual({ allowed: false, retryAfterSeconds: 86400 - 10 * 3601 });
  });

  it('gives the longest wait when several windows are full', () => {
    const sends = [0, 61, 122, 183, 244].map(at);
    expect(checkLimits(sends, BUILT_IN_PHONE_LIMITS, at(250)).retryAfterSeconds).toBe(3350);
  });

  it('rounds a partial second up, never down to zero', () => {
    expect(checkLimits([new Date(T0 + 500)], BUILT_IN_PHONE_LIMITS, at(60)).retryAfterSeconds).toBe(1);
  });

  it('applies a profile that tightens a window, and ignores one that tries to loosen', () => {
    const tighter = effectivePhoneLimits([{ windowSeconds: 120, max: 1 }]);
    expect(checkLimits([at(0)], tighter, at(90))).toEqual({ allowed: false, retryAfterSeconds: 30 });
    const looser = effectivePhoneLimits([{ windowSeconds: 60, max: 3 }]);
    expect(checkLimits([at(0)], looser, at(30)).allowed).toBe(false);
    expect(effectivePhoneLimits(BUILT_IN_PHONE_LIMITS)).toEqual(BUILT_IN_PHONE_LIMITS);
  });
});
