/**
 * Inputs for the profile benchmark: the shipped profiles, and larger sets generated from them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compileProfiles, NATIONAL_FILE, type CompileResult, type ProfileFile } from '#src/profiles/profile-compiler.js';
import { isProvinceFileName } from '#src/profiles/profile-files.js';

const PROVINCES_DIR = fileURLToPath(new URL('../provinces/', import.meta.url));

/**
 * One `compileProfiles` call: a national base and the provinces standing on it. Large sets are
 * split into several calls (see generateSet), each timed side by side with parsing the same texts.
 */
export interface Batch {
  national: ProfileFile;
  provinces: ProfileFile[];
}

export interface ProfileSet {
  label: string;
  provinceCount: number;
  batches: Batch[];
}

export interface RealProfiles {
  national: ProfileFile;
  provinces: ProfileFile[];
}

export async function loadRealProfiles(): Promise<RealProfiles> {
  const read = async (name: string): Promise<ProfileFile> => ({ path: `provinces/${name}`, text: await readFile(PROVINCES_DIR + name, 'utf8') });
  const names = (await readdir(PROVINCES_DIR)).filter(isProvinceFileName).sort();
  return { national: await read(NATIONAL_FILE), provinces: await Promise.all(names.map(read)) };
}

export function realSet(real: RealProfiles): ProfileSet {
  return { label: `real ${real.provinces.length}`, provinceCount: real.provinces.length, batches: [{ national: real.national, provinces: real.provinces }] };
}

/**
 * Province codes must match ^[1-9][0-9]0000$ (only 90 exist) and be unique among the profiles of
 * one compileProfiles call (setIssues). So a generated set larger than that is compiled as several
 * calls of at most this many provinces, each with its own copy of the national base — as a real
 * deployment split in groups would. setIssues is a single pass over a Map, so batching does not
 * hide any super-linear cost; the only extra work is one national parse per batch, which bare
 * `yaml.parse` (side B) repeats too, keeping the comparison fair.
 */
export const MAX_PROVINCES_PER_COMPILE = 80;

/** `count` provinces cycling through the real ones, each renamed `<id>-g<n>` with a unique code. */
export function generateSet(real: RealProfiles, count: number): ProfileSet {
  const batchCount = Math.ceil(count / MAX_PROVINCES_PER_COMPILE);
  const perBatch = Math.ceil(count / batchCount);
  const batches: Batch[] = [];
  for (let n = 0; n < count; n++) {
    const indexInBatch = n % perBatch;
    if (indexInBatch === 0) batches.push({ national: real.national, provinces: [] });
    const template = real.provinces[n % real.provinces.length];
    if (!template) throw new Error('no real province profiles to generate from');
    // Codes 100000, 110000, … 890000: unique within a batch of at most 80.
    batches.at(-1)?.provinces.push(renameProvince(template, `g${n}`, `${10 + indexInBatch}0000`));
  }
  return { label: `generated ${count}`, provinceCount: count, batches };
}

function renameProvince(file: ProfileFile, suffix: string, code: string): ProfileFile {
  let id = '';
  const text = replaceOnce(
    replaceOnce(file.text, /^id: ([a-z0-9-]+)$/m, (_, orig: string) => {
      id = `${orig}-${suffix}`;
      return `id: ${id}`;
    }),
    /^code: "[0-9]{6}"$/m,
    () => `code: "${code}"`,
  );
  // The compiler insists the file name matches the id.
  return { path: `provinces/${id}.yaml`, text };
}

/** Fail loudly if a real profile's layout changes and the rename silently stops applying. */
function replaceOnce(text: string, pattern: RegExp, replacement: (match: string, ...groups: string[]) => string): string {
  if (!pattern.test(text)) throw new Error(`profile generator: ${String(pattern)} not found in a real profile`);
  return text.replace(pattern, replacement);
}

// ---- the two sides -------------------------------------------------------------------------------

/** Side A: the full pipeline, one call per batch. */
export function compileSet(set: ProfileSet): CompileResult[] {
  return set.batches.map((batch) => compileProfiles(batch.national, batch.provinces));
}

/** Side B: bare yaml.parse of exactly the texts side A reads. */
export function parseSet(set: ProfileSet): unknown[] {
  const out: unknown[] = [];
  for (const batch of set.batches) {
    out.push(parse(batch.national.text));
    for (const province of batch.provinces) out.push(parse(province.text));
  }
  return out;
}

/** A benchmark of failing compiles would measure the error path: insist on a clean result. */
export function assertClean(set: ProfileSet, results: readonly CompileResult[]): void {
  const issues = results.flatMap((r) => r.issues);
  const compiled = results.reduce((sum, r) => sum + r.profiles.length, 0);
  if (issues.length > 0 || compiled !== set.provinceCount) {
    const sample = issues
      .slice(0, 5)
      .map((i) => `  ${i.file}:${i.line}:${i.col}  ${i.pointer}  ${i.message}`)
      .join('\n');
    throw new Error(`${set.label}: compiled ${compiled}/${set.provinceCount} profiles with ${issues.length} issue(s)\n${sample}`);
  }
}
