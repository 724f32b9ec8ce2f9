import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** URL prefix of the static files in templates/assets (CSS, the compare page's script, the icon). */
export const ASSETS_PREFIX = '/assets/';

/**
 * Fixed names with a content hash in the query (`/assets/portal.css?v=1a2b3c4d`): a changed file
 * gets a new URL, so browsers may cache each one for long.
 */
export class PortalAssets {
  private constructor(private readonly versions: ReadonlyMap<string, string>) {}

  static async load(dir: string): Promise<PortalAssets> {
    const versions = new Map<string, string>();
    for (const name of (await readdir(dir)).sort()) {
      versions.set(name, createHash('sha256').update(await readFile(join(dir, name))).digest('hex').slice(0, 10));
    }
    return new PortalAssets(versions);
  }

  url(name: string): string {
    const version = this.versions.get(name);
    if (!version) throw new Error(`no asset ${name} in templates/assets`);
    return `${ASSETS_PREFIX}${name}?v=${version}`;
  }
}
