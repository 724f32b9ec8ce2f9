import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { compileProfiles, NATIONAL_FILE, type CompileResult, type ProfileFile, type SmsTemplateSet } from '#src/profiles/profile-compiler.js';

/** Where SMS templates live unless the caller says otherwise (the service passes TEMPLATES_DIR). */
export const DEFAULT_TEMPLATES_DIR = 'templates';

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
export async function compileProfileDir(dir: string, templatesDir = DEFAULT_TEMPLATES_DIR): Promise<CompileResult> {
  const names = (await readdir(dir)).filter(isProvinceFileName).sort();
  return compileProfilePaths(join(dir, NATIONAL_FILE), names.map((name) => join(dir, name)), templatesDir);
}

/** `<dir>/sms/*.hbs` and `<dir>/provinces/<id>/sms/*.hbs`, by purpose; a missing folder holds none. */
export async function listSmsTemplates(templatesDir: string): Promise<SmsTemplateSet> {
  const purposesIn = async (folder: string): Promise<Set<string>> =>
    new Set((await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.hbs')).map((name) => name.slice(0, -'.hbs'.length)));
  const provinces = await readdir(join(templatesDir, 'provinces')).catch(() => [] as string[]);
  const byProvince = new Map<string, Set<string>>();
  for (const id of provinces) {
    const own = await purposesIn(join(templatesDir, 'provinces', id, 'sms'));
    if (own.size > 0) byProvince.set(id, own);
  }
  return { dir: displayPath(templatesDir), shared: await purposesIn(join(templatesDir, 'sms')), byProvince };
}

export async function compileProfilePaths(nationalPath: string, provincePaths: readonly string[], templatesDir = DEFAULT_TEMPLATES_DIR): Promise<CompileResult> {
  let national: ProfileFile;
  try {
    national = await readProfileFile(nationalPath);
  } catch {
    const file = displayPath(nationalPath);
    return { profiles: [], issues: [{ file, line: 1, col: 1, pointer: '', message: `找不到国家基线文件 ${file}` }] };
  }
  const [provinces, smsTemplates] = await Promise.all([Promise.all(provincePaths.map(readProfileFile)), listSmsTemplates(templatesDir)]);
  return compileProfiles(national, provinces, { smsTemplates });
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
