import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dirent } from 'node:fs';

/** The entries of a folder; a missing folder has none. */
export async function readdirOrEmpty(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every `.hbs` file under `dir`, at any depth, sorted. */
export async function listTemplateFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdirOrEmpty(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listTemplateFiles(path)));
    else if (entry.name.endsWith('.hbs')) files.push(path);
  }
  return files.sort();
}
