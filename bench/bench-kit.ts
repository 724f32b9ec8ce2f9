/**
 * What every bench module shares: the report shape the runner prints and saves, side-by-side timing
 * (A and B interleaved in one process, so machine noise hits both), and a plain-text table.
 */

export interface BenchReport {
  /** File name under bench/results/ (without .json). */
  name: string;
  /** Human-readable summary printed to stdout. */
  table: string;
  /** Everything measured, saved as bench/results/<name>.json. */
  data: Record<string, unknown>;
}

export interface BenchModule {
  run(): Promise<BenchReport>;
}

export interface Summary {
  iterations: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  totalMs: number;
}

export interface SideBySideOptions {
  warmup: number;
  /** Keep going until both sides have spent at least this long (per side). */
  targetMs: number;
  minIterations: number;
  maxIterations: number;
}

const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

/** Time one call; `check` runs after the clock stops, so asserting on the result costs nothing. */
function timeOnce<T>(fn: () => T, check: (result: T) => void): number {
  const start = process.hrtime.bigint();
  const result = fn();
  const elapsed = nsToMs(process.hrtime.bigint() - start);
  check(result);
  return elapsed;
}

/**
 * Warm up both sides, then alternate A, B, A, B… (so a slow patch of the machine lands on both
 * sides rather than on one) until each side has run for targetMs and minIterations.
 */
export function sideBySide<A, B>(
  a: { fn: () => A; check: (result: A) => void },
  b: { fn: () => B; check: (result: B) => void },
  options: SideBySideOptions,
): { a: Summary; b: Summary } {
  for (let i = 0; i < options.warmup; i++) {
    a.check(a.fn());
    b.check(b.fn());
  }
  const samplesA: number[] = [];
  const samplesB: number[] = [];
  let totalA = 0;
  let totalB = 0;
  while (samplesA.length < options.maxIterations && (samplesA.length < options.minIterations || totalA < options.targetMs || totalB < options.targetMs)) {
    const timeA = timeOnce(a.fn, a.check);
    const timeB = timeOnce(b.fn, b.check);
    samplesA.push(timeA);
    samplesB.push(timeB);
    totalA += timeA;
    totalB += timeB;
  }
  return { a: summarize(samplesA), b: summarize(samplesB) };
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((x, y) => x - y);
  // Nearest-rank percentile: always an observed sample, no interpolation.
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return {
    iterations: sorted.length,
    medianMs: rank(0.5),
    p90Ms: rank(0.9),
    minMs: sorted[0] ?? NaN,
    totalMs: sorted.reduce((sum, x) => sum + x, 0),
  };
}

/** Fixed-precision number for tables (JSON keeps full precision). */
export function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

/** Columns padded to their widest cell; first column left-aligned, the rest right-aligned. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
