/**
 * The HN-8 promise, "24 小时（工作日）": the hours count only on working days, Monday to Friday in
 * Beijing time (UTC+8, no daylight saving), so a request sent on Friday afternoon falls due on
 * Monday afternoon, and one sent at the weekend counts from Monday 00:00. Public holidays and the
 * weekend days worked in their place (调休) are not modelled: the State Council publishes them
 * each year, and the page says the time is an estimate that leaves them out.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

export function dueTime(from: Date, hours: number, workingDaysOnly: boolean): Date {
  if (!workingDaysOnly) return new Date(from.getTime() + hours * HOUR_MS);
  let remaining = hours * HOUR_MS;
  // Beijing wall-clock time, read with the UTC getters.
  let local = from.getTime() + BEIJING_OFFSET_MS;
  while (remaining > 0) {
    const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) {
      local = dayStart + DAY_MS;
      continue;
    }
    const step = Math.min(remaining, dayStart + DAY_MS - local);
    remaining -= step;
    local += step;
  }
  return new Date(local - BEIJING_OFFSET_MS);
}
