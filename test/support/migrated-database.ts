import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmbeddedDatabase, IN_MEMORY } from '#src/database/embedded-database.js';
import { MIGRATIONS } from '#src/database/migration-list.js';

/** Set by the Jest global setup: a folder of this run only, where the migrated dump is kept. */
export const DUMP_DIR_VARIABLE = 'PE_TEST_DUMP_DIR';

export interface MigratedDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A migrated database without the Nest app: in-memory PGlite, or the given PostgreSQL URL (services
 * tests, benches). For specs that drive the SQL stores directly.
 */
export async function openMigratedDatabase(url?: string): Promise<MigratedDatabase> {
  const embedded = url ? undefined : await EmbeddedDatabase.open(IN_MEMORY, await migratedDump());
  const dataSource = migratingDataSource(embedded ?? url ?? '');
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      if (embedded) await embedded.close();
      else await dataSource.destroy();
    },
  };
}

/** A data source that applies every pending migration as it initialises. */
function migratingDataSource(target: EmbeddedDatabase | string): DataSource {
  const dataSource = new DataSource({
    type: 'postgres',
    ...(typeof target === 'string' ? { url: target, poolSize: 10 } : { extra: { ...target.pgConfig(), max: 1, idleTimeoutMillis: 0 }, poolSize: 1 }),
    migrations: [...MIGRATIONS],
    migrationsRun: true,
    synchronize: false,
    installExtensions: false,
    logging: false,
  });
  if (typeof target !== 'string') target.attach(dataSource);
  return dataSource;
}

/**
 * An in-memory PGlite with every migration applied, as a dump to start from. A fresh PGlite runs
 * initdb (about 1.3 s here) and then the migrations; loading this dump takes about 0.3 s. The first
 * test file of a run makes it, the others read it; the folder belongs to one Jest run, so a dump is
 * never older than the code. Outside Jest's setup (no folder) every database starts empty.
 */
export async function migratedDump(): Promise<Blob | undefined> {
  const dir = process.env[DUMP_DIR_VARIABLE];
  if (!dir) return undefined;
  const file = join(dir, 'migrated.tar');
  const existing = await readFile(file).catch(() => undefined);
  if (existing) return new Blob([existing]);
  const embedded = await EmbeddedDatabase.open(IN_MEMORY);
  try {
    const dataSource = migratingDataSource(embedded);
    await dataSource.initialize();
    await dataSource.destroy();
    const dump = await embedded.dump();
    // Two workers may make it at once: each writes its own file and renames it into place whole.
    const partial = join(dir, `migrated-${randomBytes(4).toString('hex')}.partial`);
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  } finally {
    await embedded.close();
  }
}
