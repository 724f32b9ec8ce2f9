import { dueTime } from '#src/ca/hall/working-hours.js';

/** Beijing wall-clock time → the instant. */
const bj = (text: string) => new Date(`${text}+08:00`);

describe('HN-8: 24 working hours (weekends off, Beijing time)', () => {
  it('a Monday request falls due on Tuesday at the same time', () => {
    expect(dueTime(bj('2026-12-07T10:30:00'), 24, true)).toEqual(bj('2026-12-08T10:30:00'));
  });

  it('a Friday afternoon request falls due on Monday afternoon', () => {
    expect(dueTime(bj('2026-12-04T15:00:00'), 24, true)).toEqual(bj('2026-12-07T15:00:00'));
  });

  it('a weekend request counts from Monday 00:00', () => {
    expect(dueTime(bj('2026-12-05T09:00:00'), 24, true)).toEqual(bj('2026-12-08T00:00:00'));
    expect(dueTime(bj('2026-12-06T23:59:00'), 24, true)).toEqual(bj('2026-12-08T00:00:00'));
  });

  it('48 hours from Thursday noon skip the weekend once', () => {
    expect(dueTime(bj('2026-12-03T12:00:00'), 48, true)).toEqual(bj('2026-12-07T12:00:00'));
  });

  it('without working days only, plain hours', () => {
    expect(dueTime(bj('2026-12-04T15:00:00'), 24, false)).toEqual(bj('2026-12-05T15:00:00'));
  });
});
