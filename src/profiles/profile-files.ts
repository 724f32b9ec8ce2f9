import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { compileProfiles, NATIONAL_FILE, type CompileResult, type ProfileFile } from '#src/profiles/profile-compiler.js';

/** Paths in messages are relative to the working directory when inside it: `provinces/hunan.yaml`. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}

async function readProfileFile(path: string): Promise<ProfileFile> {
  return { path: displayPath(path), text: await readFile(path, 'utf8') };
}

export function isProvinceFileName(name: string): boolean {
  return name.endsWith('.yaml') && !name.startsWith('_') && !name.startsWith('.');
}

/** Compile the whole folder: _national.yaml and every <id>.yaml beside it. */
export async function compileProfileDir(dir: string): Promise<CompileResult> {
  const names = (await readdir(dir)).filter(isProvinceFileName).sort();
  return compileProfilePaths(join(dir, NATIONAL_FILE), names.map((name) => join(dir, name)));
}

export async function compileProfilePaths(nationalPath: string, provincePaths: readonly string[]): Promise<CompileResult> {
  let national: ProfileFile;
  try {
    national = await readProfileFile(nationalPath);
  } catch {
    const file = displayPath(nationalPath);
    return { profiles: [], issues: [{ file, line: 1, col: 1, pointer: '', message: `找不到国家基线文件 ${file}` }] };
  }
  const provinces = await Promise.all(provincePaths.map(readProfileFile));
  return compileProfiles(national, provinces);
}

/** `validate a.yaml b.yaml`: each file against the national base in its own folder. */
export async function compileNamedFiles(paths: readonly string[]): Promise<CompileResult> {
  const byDir = new Map<string, string[]>();
  for (const path of paths) {
    const dir = dirname(path);
    const name = path.slice(dir.length + 1);
    if (name === NATIONAL_FILE) {
      // Checking the base means checking every province that stands on it.
      const all = (await readdir(dir)).filter(isProvinceFileName).map((n) => join(dir, n));
      byDir.set(dir, [...(byDir.get(dir) ?? []), ...all]);
    } else {
      byDir.set(dir, [...(byDir.get(dir) ?? []), path]);
    }
  }
  const results = await Promise.all([...byDir].map(([dir, files]) => compileProfilePaths(join(dir, NATIONAL_FILE), [...new Set(files)])));
  return { profiles: results.flatMap((r) => r.profiles), issues: results.flatMap((r) => r.issues) };
}
