import { rm } from 'node:fs/promises';

// Like global-setup.ts, loaded outside Jest's module mapper: packages only.

/** The run's migrated PGlite dump leaves with the run. */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.PE_TEST_DUMP_DIR;
  if (dir) await rm(dir, { recursive: true, force: true });
}
