import { FEEDBACK_REFERENCE_PATTERN, newFeedbackReference } from '#src/feedback/feedback-reference.js';

describe('newFeedbackReference', () => {
  it('carries the China date of sending and six unambiguous characters', () => {
    // 2025-11-26 20:30 UTC is already the 27th in Beijing.
    const reference = newFeedbackReference(new Date('2025-11-26T20:30:00Z'));
    expect(reference).toMatch(/^FK20251127-[2-9A-HJKMNP-Z]{6}$/);
    expect(reference).toMatch(FEEDBACK_REFERENCE_PATTERN);
  });

  it('draws a different reference each time', () => {
    const references = new Set(Array.from({ length: 200 }, () => newFeedbackReference()));
    expect(references.size).toBe(200);
  });
});
