/**
 * `npm run bench` runs every bench module; `npm run bench -- profiles` runs the named ones.
 * Each prints its table and saves bench/results/<name>.json. Add a module by adding it to BENCHES.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchModule } from './bench-kit.js';

// Lazy imports: running one bench does not load (or pay the import cost of) the others.
const BENCHES: Record<string, () => Promise<BenchModule>> = {
  profiles: () => import('./profiles.js'),
  sms: () => import('./sms.js'),
  portal: () => import('./portal.js'),
  api: () => import('./api.js'),
  cluster: () => import('./cluster.js'),
  login: () => import('./login.js'),
  products: () => import('./products.js'),
  authz: () => import('./authz.js'),
};

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

async function main(args: readonly string[]): Promise<void> {
  const unknown = args.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    throw new Error(`unknown bench: ${unknown.join(', ')} (available: ${Object.keys(BENCHES).join(', ')})`);
  }
  const names = args.length > 0 ? args : Object.keys(BENCHES);
  await mkdir(RESULTS_DIR, { recursive: true });

  const startAll = process.hrtime.bigint();
  for (const name of names) {
    const load = BENCHES[name];
    if (!load) continue;
    const start = process.hrtime.bigint();
    const report = await (await load()).run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const file = `${RESULTS_DIR}${report.name}.json`;
    await writeFile(file, `${JSON.stringify({ ...report.data, runtimeSeconds: seconds }, null, 2)}\n`);
    process.stdout.write(`\n== ${name} (${seconds.toFixed(1)} s) ==\n${report.table}\nsaved ${file}\n`);
  }
  process.stdout.write(`\nall benches: ${(Number(process.hrtime.bigint() - startAll) / 1e9).toFixed(1)} s\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
