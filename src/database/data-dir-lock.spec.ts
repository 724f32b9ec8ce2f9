import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from '#src/database/data-dir-lock.js';

/** A pid that is certainly not running: above Linux's pid_max ceiling. */
const DEAD_PID = 4_194_305;

describe('acquireDataDirLock', () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lock-spec-'));
    dataDir = join(root, 'nested', 'pglite');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('writes our pid to <dataDir>.lock and removes it on release', () => {
    const lock = acquireDataDirLock(dataDir);
    expect(lock.path).toBe(`${dataDir}.lock`);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses a lock held by a live process, naming its pid', () => {
    const lock = acquireDataDirLock(dataDir);
    try {
      expect(() => acquireDataDirLock(dataDir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dataDir)).toThrow(`进程 ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock left by a dead process', () => {
    acquireDataDirLock(dataDir).release(); // creates the parent folder
    writeFileSync(`${dataDir}.lock`, `${DEAD_PID}\n`);
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock file with no readable pid', () => {
    acquireDataDirLock(dataDir).release();
    writeFileSync(`${dataDir}.lock`, 'garbage');
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('does not delete a lock another process took over after us', () => {
    const lock = acquireDataDirLock(dataDir);
    writeFileSync(lock.path, `${DEAD_PID}\n`);
    lock.release();
    expect(readFileSync(`${dataDir}.lock`, 'utf8').trim()).toBe(String(DEAD_PID));
  });
});
