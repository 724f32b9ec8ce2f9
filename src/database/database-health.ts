import type { DataSource } from 'typeorm';

export type DatabaseStatus = 'up' | 'down';

/**
 * `SELECT 1` with a deadline. On PGlite the pool has one connection, so a long transaction makes
 * the check wait; past the deadline it reports down rather than hanging the health endpoint.
 */
export async function checkDatabase(dataSource: DataSource, timeoutMs = 2000): Promise<DatabaseStatus> {
  if (!dataSource.isInitialized) return 'down';
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<DatabaseStatus>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  const probe = dataSource.query('SELECT 1').then(
    (): DatabaseStatus => 'up',
    (): DatabaseStatus => 'down',
  );
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
