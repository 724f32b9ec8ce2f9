import type { Server } from 'node:http';
import { createScratchDatabase } from '#test/services/scratch-database.js';
import { startTestApp, type TestApp } from '#test/support/test-app.js';
import type { AppConfig } from '#src/config/app-config.js';

/**
 * App nodes of one deployment, as behind a load balancer: one fresh database on the DATABASE_URL
 * server, one Redis key prefix and one SMS code secret (services mode). Nodes can join and leave
 * while the others run; leaving closes a node's app only, never the state the others share.
 */
export interface Deployment {
  /** The node that made the deployment; it leaves last, with the database and the Redis keys. */
  readonly first: TestApp;
  /** Starts another node (a restart is leave + join), on the same files unless `overrides` says otherwise. */
  join(overrides?: Partial<AppConfig>): Promise<TestApp>;
  /** Closes every node still running, then drops the database and the Redis keys. */
  close(): Promise<void>;
}

export function nodeHttp(node: TestApp): Server {
  return node.app.getHttpAdapter().getInstance().server;
}

export async function startDeployment(prefix: string, overrides: Partial<AppConfig> = {}): Promise<Deployment> {
  const scratch = await createScratchDatabase(prefix);
  const database = { kind: 'postgres' as const, url: scratch.url };
  let first: TestApp;
  try {
    first = await startTestApp({ ...overrides, database });
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  const joined = new Set<TestApp>();
  return {
    first,
    async join(more = {}) {
      // Same database, Redis prefix and code secret: another node of the same deployment.
      const started = await startTestApp({ ...overrides, ...more, database, sms: first.config.sms });
      const node: TestApp = {
        app: started.app,
        config: started.config,
        // startTestApp's close would drop the Redis keys the other nodes still use.
        close: async () => {
          joined.delete(node);
          await started.app.close();
        },
      };
      joined.add(node);
      return node;
    },
    async close() {
      try {
        for (const node of [...joined]) await node.close();
        await first.close();
      } finally {
        await scratch.drop();
      }
    },
  };
}
