/**
 * What the SQL stores need: a DataSource, or the EntityManager of an open transaction. On PGlite
 * (one connection) a query inside a transaction must go through its manager, never the DataSource.
 */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * Rows of a statement, whatever its kind: TypeORM's postgres driver answers UPDATE and DELETE with
 * `[rows, rowCount]` instead of the rows (RETURNING included), SELECT and INSERT with the rows.
 */
export async function queryRows<T>(q: Queryable, sql: string, parameters?: unknown[]): Promise<T[]> {
  const result = await q.query<unknown>(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
