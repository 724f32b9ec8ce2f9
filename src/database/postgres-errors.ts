import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** A unique index refused the row; `constraint` narrows it to one index when given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: unknown; constraint?: unknown } | undefined;
  return driverError?.code === UNIQUE_VIOLATION && (constraint === undefined || driverError.constraint === constraint);
}
