import { ProfileSync, type Listen } from '#src/profiles/profile-sync.js';

/** A LISTEN connection the test drives: notifications and drops come when the test says. */
class FakeChannel {
  connections = 0;
  refuse = false;
  onPayload: ((payload: string) => void) | undefined;
  onLost: ((error?: Error) => void) | undefined;
  readonly listen: Listen = (onPayload, onLost) => {
    if (this.refuse) return Promise.reject(new Error('ECONNREFUSED'));
    this.connections++;
    this.onPayload = onPayload;
    this.onLost = onLost;
    return Promise.resolve({ close: () => Promise.resolve() });
  };
}

const NODE = { id: 'me', hostname: 'h', pid: 1 };
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

let channel: FakeChannel;
let latest: string | undefined;
let followed: string[];
let sync: ProfileSync;

function makeSync(listen: Listen | 'off' = channel.listen, pollMs = 60_000): ProfileSync {
  return new ProfileSync({ node: NODE, listen: listen === 'off' ? undefined : listen, latestVersion: () => Promise.resolve(latest), follow: (v) => Promise.resolve(void followed.push(v)), pollMs, maxRetryMs: 50 });
}

beforeEach(() => {
  channel = new FakeChannel();
  latest = 'v1';
  followed = [];
  sync = makeSync();
});

afterEach(async () => {
  await sync.onModuleDestroy();
});

describe('ProfileSync', () => {
  it('at start compares with the latest published version, then follows what other nodes announce (not its own)', async () => {
    await sync.onApplicationBootstrap();
    expect(followed).toEqual(['v1']);
    expect(sync.status()).toEqual({ mechanism: 'postgres-listen', listening: true, published: 'v1' });
    channel.onPayload?.(JSON.stringify({ version: 'v2', node: 'other' }));
    channel.onPayload?.(JSON.stringify({ version: 'v3', node: 'me' }));
    channel.onPayload?.('not json');
    expect(followed).toEqual(['v1', 'v2']);
    expect(sync.status().published).toBe('v3');
  });

  it('catches up on what it missed once its dropped connection comes back', async () => {
    await sync.onApplicationBootstrap();
    channel.refuse = true;
    channel.onLost?.(new Error('terminated'));
    expect(sync.status().listening).toBe(false);
    latest = 'v2';
    await new Promise((resolve) => setTimeout(resolve, 20));
    channel.refuse = false;
    await until(() => followed.includes('v2'));
    expect(followed).toEqual(['v1', 'v2']);
    expect(channel.connections).toBe(2);
    expect(sync.status().listening).toBe(true);
  });

  it('polls the latest version as a fallback, following each new one once', async () => {
    sync = makeSync(channel.listen, 10);
    await sync.onApplicationBootstrap();
    latest = 'v2';
    await until(() => followed.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(followed).toEqual(['v1', 'v2']);
  });

  it('is off on the embedded database: nothing listens, nothing is followed', async () => {
    sync = makeSync('off');
    await sync.onApplicationBootstrap();
    expect(sync.status()).toEqual({ mechanism: 'off', listening: false, published: undefined });
    expect(followed).toEqual([]);
  });
});
