/**
 * Measurements that need a fresh process, spawned by profiles.ts with --expose-gc:
 * - cold costs (the Ajv schema compile is paid once per process, and the first compile runs on
 *   un-optimised code) — in the main bench the warmup has already paid them;
 * - heap retained by the 340-province results, measured between forced GCs in a heap that no
 *   timing loop has littered.
 * Prints one JSON object (IsolatedResult) to stdout.
 */
import { compileProfiles } from '#src/profiles/profile-compiler.js';
import { profileValidator } from '#src/profiles/profile-validator.js';
import { assertClean, compileSet, generateSet, loadRealProfiles, parseSet, realSet } from './profile-fixtures.js';

export interface IsolatedResult {
  /** First profileValidator() call: Ajv compiling the profile schema. */
  ajvCompileMs: number;
  /** First compile of the real profiles, right after (Ajv already compiled; code still cold). */
  firstCompileMs: number;
  /** The same compile again, to show what the warm path costs without a warmup. */
  secondCompileMs: number;
  memory: {
    provinces: number;
    compileHeapDeltaBytes: number;
    parseHeapDeltaBytes: number;
  };
}

const elapsedMs = (fn: () => unknown): number => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('profiles-isolated.ts must run with --expose-gc');

/** Heap still in use after collecting everything collectable. */
function settledHeap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Heap growth while `produce`'s result is still held. */
function retained(produce: () => unknown): number {
  const before = settledHeap();
  const held = produce();
  const after = settledHeap();
  if (held === undefined) throw new Error('unreachable: keeps `held` alive across the GC');
  return after - before;
}

const real = await loadRealProfiles();
const ajvCompileMs = elapsedMs(() => profileValidator());
const firstCompileMs = elapsedMs(() => compileProfiles(real.national, real.provinces));
const secondCompileMs = elapsedMs(() => compileProfiles(real.national, real.provinces));
assertClean(realSet(real), [compileProfiles(real.national, real.provinces)]);

const big = generateSet(real, 340);
assertClean(big, compileSet(big));
const result: IsolatedResult = {
  ajvCompileMs,
  firstCompileMs,
  secondCompileMs,
  memory: {
    provinces: big.provinceCount,
    compileHeapDeltaBytes: retained(() => compileSet(big)),
    parseHeapDeltaBytes: retained(() => parseSet(big)),
  },
};
process.stdout.write(JSON.stringify(result));
