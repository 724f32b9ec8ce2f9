import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This app instance among the deployment's nodes, as /health and the published versions name it. */
export interface NodeIdentity {
  /** `<hostname>:<pid>:<random>`: the random part tells apart two apps in one process (the tests do that). */
  id: string;
  hostname: string;
  pid: number;
}

export const NODE_IDENTITY = Symbol('NODE_IDENTITY');

export function newNodeIdentity(): NodeIdentity {
  const host = hostname();
  return { id: `${host}:${process.pid}:${randomBytes(3).toString('hex')}`, hostname: host, pid: process.pid };
}
