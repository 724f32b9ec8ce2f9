import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** PGlite has no server to arbitrate: two processes writing one directory would corrupt it. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super(
      `嵌入式数据库目录 ${dataDir} 已被进程 ${holderPid} 占用（锁文件 ${lockPath}）。` +
        `请先停止该进程，或用 PGLITE_DIR 指定其他目录；若确认该进程已不存在，可删除锁文件后重试。`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes `<dataDir>.lock` holding our pid. A lock whose pid is alive (this process included) is
 * refused; one left by a dead process is taken over. Beside the directory, not inside it, so
 * PGlite never sees a stranger file in its data directory.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  const lockPath = `${dir}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });

  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (tryCreate(lockPath)) return heldLock(lockPath);
    const holder = readPid(lockPath);
    if (holder === undefined) continue; // released between our two calls: try again
    if (isAlive(holder)) throw new DataDirLockedError(dir, lockPath, holder);
    takeOverStale(lockPath, holder);
  }
  throw new Error(`无法获取嵌入式数据库锁文件 ${lockPath}：多个进程在同时争用`);
}

/** Written to a private file then hard-linked into place: the lock never exists half-written. */
function tryCreate(lockPath: string): boolean {
  const temp = `${lockPath}.${process.pid}.tmp`;
  writeFileSync(temp, `${process.pid}\n`);
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Renaming is atomic, so only one of two racing processes moves the stale file away; the check
 * afterwards puts back a live lock that a faster process created in between.
 */
function takeOverStale(lockPath: string, stalePid: number): void {
  const aside = `${lockPath}.stale.${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readPid(aside);
  if (moved !== stalePid && moved !== undefined && isAlive(moved)) {
    renameSync(aside, lockPath);
    return;
  }
  rmSync(aside, { force: true });
}

function heldLock(lockPath: string): DataDirLock {
  let held = true;
  // A process that exits without closing still frees the lock it holds.
  const onExit = () => releaseFile(lockPath);
  process.once('exit', onExit);
  return {
    path: lockPath,
    release() {
      if (!held) return;
      held = false;
      process.removeListener('exit', onExit);
      releaseFile(lockPath);
    },
  };
}

function releaseFile(lockPath: string): void {
  // Only our own lock: never delete one another process took over after us.
  if (readPid(lockPath) === process.pid) rmSync(lockPath, { force: true });
}

function readPid(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number.parseInt(text.trim(), 10);
  // Unreadable content is nobody's lock: treat it as left by a dead process.
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 0;
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
