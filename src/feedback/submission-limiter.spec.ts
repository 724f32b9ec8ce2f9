import { SubmissionLimiter } from '#src/feedback/submission-limiter.js';

describe('SubmissionLimiter', () => {
  it('allows max submissions per window and says when the next one may come', () => {
    let now = 0;
    const limiter = new SubmissionLimiter(2, 60_000, () => now);
    expect(limiter.retryAfterSeconds('anhui|1.2.3.4')).toBe(0);
    limiter.record('anhui|1.2.3.4');
    now = 10_000;
    limiter.record('anhui|1.2.3.4');
    expect(limiter.retryAfterSeconds('anhui|1.2.3.4')).toBe(50);
    expect(limiter.retryAfterSeconds('anhui|5.6.7.8')).toBe(0);
    now = 60_001;
    expect(limiter.retryAfterSeconds('anhui|1.2.3.4')).toBe(0);
  });
});
