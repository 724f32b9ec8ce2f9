import { DataSource } from 'typeorm';
import { EmbeddedDatabase, IN_MEMORY } from '#src/database/embedded-database.js';
import { MIGRATIONS } from '#src/database/migration-list.js';

export interface MigratedDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A migrated database without the Nest app: in-memory PGlite, or the given PostgreSQL URL (services
 * tests, benches). For specs that drive the SQL stores directly.
 */
export async function openMigratedDatabase(url?: string): Promise<MigratedDatabase> {
  const embedded = url ? undefined : await EmbeddedDatabase.open(IN_MEMORY);
  const dataSource = new DataSource({
    type: 'postgres',
    ...(embedded ? { extra: { ...embedded.pgConfig(), max: 1, idleTimeoutMillis: 0 }, poolSize: 1 } : { url, poolSize: 10 }),
    migrations: [...MIGRATIONS],
    migrationsRun: true,
    synchronize: false,
    installExtensions: false,
    logging: false,
  });
  embedded?.attach(dataSource);
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      if (embedded) await embedded.close();
      else await dataSource.destroy();
    },
  };
}
