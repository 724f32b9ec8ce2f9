/**
 * Real OS processes of a deployment, as production runs them (`nest build`'s dist): app nodes and
 * the standalone SMS worker, each writing its log to a file (read back when it fails), found free
 * loopback ports, waited for with a deadline. Nothing here talks to anything but 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ClusterProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves when the process has exited, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The end of its log, for a failure message. */
  logTail(lines?: number): string;
}

/** A port nobody listens on now (the kernel's choice); a few lines later it is ours. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `command args` with exactly `env` (nothing inherited but PATH and HOME), stdout and stderr to `logFile`. */
export function spawnLogged(name: string, command: string, args: string[], env: Record<string, string>, logFile: string): ClusterProcess {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', fd, fd] });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(fd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: child.exitCode, signal: child.signalCode }));
  });
  return {
    name,
    child,
    logFile,
    exited,
    logTail: (lines = 30) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : ''),
  };
}

export function isRunning(process_: ClusterProcess): boolean {
  return process_.child.exitCode === null && process_.child.signalCode === null;
}

/** SIGTERM, then SIGKILL if it has not gone within `graceMs`. Safe to call on a process that is gone. */
export async function stopProcess(process_: ClusterProcess, graceMs = 5_000): Promise<void> {
  if (!isRunning(process_)) return;
  process_.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([process_.exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
  clearTimeout(timer);
  if (!gone && isRunning(process_)) {
    process_.child.kill('SIGKILL');
    await process_.exited;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `ready()` every 100 ms until it says yes or `deadlineMs` passes; fails at once, with its
 * log, when the process exits first.
 */
export async function waitUntilReady(process_: ClusterProcess, what: string, ready: () => Promise<boolean>, deadlineMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (!isRunning(process_)) {
      const { code, signal } = await process_.exited;
      throw new Error(`${process_.name} 在${what}之前退出（${code ?? signal}）：\n${process_.logTail()}`);
    }
    if (await ready().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > deadlineMs) throw new Error(`${process_.name} 在 ${deadlineMs} ms 内未${what}：\n${process_.logTail()}`);
    await sleep(100);
  }
}

/** True when GET `url` answers 200 within a second. */
export async function answers200(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.arrayBuffer();
  return res.status === 200;
}
