/**
 * Profile compile benchmark: the full pipeline (A: compileProfiles — parse with positions, merge
 * with origins, Ajv, cross-checks, hashing) against bare yaml.parse of the same texts (B), for the
 * shipped profiles and for 34 and 340 generated provinces. See bench/README.md.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fmt, formatTable, sideBySide, type BenchReport, type SideBySideOptions, type Summary } from './bench-kit.js';
import { assertClean, compileSet, generateSet, loadRealProfiles, MAX_PROVINCES_PER_COMPILE, parseSet, realSet, type ProfileSet } from './profile-fixtures.js';
import type { IsolatedResult } from './profiles-isolated.js';

interface SizeResult {
  label: string;
  provinces: number;
  compileCalls: number;
  compile: Summary & { perProfileMs: number };
  parse: Summary & { perProfileMs: number };
  /** median A / median B */
  ratio: number;
  /** Per-profile median relative to the real set's (1.0 = perfectly linear). */
  growth: { compile: number; parse: number };
}

// Each side runs ≥ 1 s; the minimum counts keep a median meaningful when one iteration is long (340: ~1.5 s).
const PLAN: Array<{ size: number | 'real'; options: SideBySideOptions }> = [
  { size: 'real', options: { warmup: 20, targetMs: 1000, minIterations: 20, maxIterations: 2000 } },
  { size: 34, options: { warmup: 5, targetMs: 1000, minIterations: 10, maxIterations: 500 } },
  { size: 340, options: { warmup: 3, targetMs: 1000, minIterations: 5, maxIterations: 50 } },
];

export async function run(): Promise<BenchReport> {
  // Fresh process first, so its cold numbers are not disturbed by our own timing loops.
  const isolated = await runIsolated();
  const real = await loadRealProfiles();

  const sizes: SizeResult[] = [];
  for (const { size, options } of PLAN) {
    const set = size === 'real' ? realSet(real) : generateSet(real, size);
    assertClean(set, compileSet(set));
    const { a, b } = sideBySide({ fn: () => compileSet(set), check: (r) => assertClean(set, r) }, { fn: () => parseSet(set), check: () => undefined }, options);
    sizes.push(sizeResult(set, a, b, sizes[0]));
  }

  const data = {
    node: process.version,
    date: new Date().toISOString(),
    maxProvincesPerCompile: MAX_PROVINCES_PER_COMPILE,
    cold: { ajvCompileMs: isolated.ajvCompileMs, firstCompileMs: isolated.firstCompileMs, secondCompileMs: isolated.secondCompileMs },
    sizes,
    memory: isolated.memory,
  };
  return { name: 'profiles', table: render(data.cold, sizes, isolated.memory), data };
}

function sizeResult(set: ProfileSet, a: Summary, b: Summary, baseline: SizeResult | undefined): SizeResult {
  const compile = { ...a, perProfileMs: a.medianMs / set.provinceCount };
  const parse = { ...b, perProfileMs: b.medianMs / set.provinceCount };
  return {
    label: set.label,
    provinces: set.provinceCount,
    compileCalls: set.batches.length,
    compile,
    parse,
    ratio: a.medianMs / b.medianMs,
    growth: {
      compile: baseline ? compile.perProfileMs / baseline.compile.perProfileMs : 1,
      parse: baseline ? parse.perProfileMs / baseline.parse.perProfileMs : 1,
    },
  };
}

async function runIsolated(): Promise<IsolatedResult> {
  const script = fileURLToPath(new URL('./profiles-isolated.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--conditions=development', '--import', 'tsx', script], {
    cwd: process.cwd(),
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as IsolatedResult;
}

function render(cold: Pick<IsolatedResult, 'ajvCompileMs' | 'firstCompileMs' | 'secondCompileMs'>, sizes: readonly SizeResult[], memory: IsolatedResult['memory']): string {
  const timing = formatTable(
    ['set', 'calls', 'iter', 'A med ms', 'A p90 ms', 'A ms/prof', 'B med ms', 'B p90 ms', 'B ms/prof', 'A/B', 'A growth', 'B growth'],
    sizes.map((s) => [
      s.label,
      String(s.compileCalls),
      String(s.compile.iterations),
      fmt(s.compile.medianMs),
      fmt(s.compile.p90Ms),
      fmt(s.compile.perProfileMs, 3),
      fmt(s.parse.medianMs),
      fmt(s.parse.p90Ms),
      fmt(s.parse.perProfileMs, 3),
      `${fmt(s.ratio, 1)}x`,
      `${fmt(s.growth.compile)}x`,
      `${fmt(s.growth.parse)}x`,
    ]),
  );
  const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20)} MiB (${fmt(bytes / memory.provinces / 1024, 1)} KiB/profile)`;
  return [
    'A = compileProfiles (parse+positions, merge+origins, Ajv, cross-checks, hash); B = yaml.parse of the same texts',
    'growth = ms/profile relative to the real set (1.00x = linear)',
    '',
    timing,
    '',
    'cold, fresh process:',
    `  Ajv schema compile (first profileValidator())  ${fmt(cold.ajvCompileMs)} ms`,
    `  first compile of the real set after it          ${fmt(cold.firstCompileMs)} ms`,
    `  second compile (no warmup)                      ${fmt(cold.secondCompileMs)} ms`,
    `heap retained by ${memory.provinces} results, fresh process, after forced GC:`,
    `  A compile results   ${mib(memory.compileHeapDeltaBytes)}`,
    `  B parsed objects    ${mib(memory.parseHeapDeltaBytes)}`,
  ].join('\n');
}
