import { ConfigError, loadConfig } from '#src/config/load-config.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded demo defaults on an empty environment', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      database: { kind: 'pglite', dataDir: './.data/pglite' },
      redisUrl: undefined,
      profilesDir: './provinces',
      profilesWatch: true,
      adminToken: undefined,
      devTools: true,
    });
  });

  it('switches to PostgreSQL and turns dev tools off by default when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app:secret@db:5432/engine', REDIS_URL: 'redis://cache:6379' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://app:secret@db:5432/engine' });
    expect(config.redisUrl).toBe('redis://cache:6379');
    expect(config.devTools).toBe(false);
  });

  it('lets DEV_TOOLS=true override the default with a real database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/engine', DEV_TOOLS: 'true' }).devTools).toBe(true);
  });

  it('turns watching and dev tools off in production', () => {
    const config = loadConfig({ NODE_ENV: 'production' });
    expect(config.profilesWatch).toBe(false);
    expect(config.devTools).toBe(false);
  });

  it('coerces numbers and boolean words, and treats empty values as unset', () => {
    const config = loadConfig({ PORT: '8080', PROFILES_WATCH: 'no', DEV_TOOLS: '0', HOST: '', PGLITE_DIR: 'memory://' });
    expect(config.port).toBe(8080);
    expect(config.profilesWatch).toBe(false);
    expect(config.devTools).toBe(false);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: 'memory://' });
  });

  it('lists every problem at once, each naming its variable in Chinese', () => {
    const problems = problemsOf({
      PORT: 'abc',
      NODE_ENV: 'staging',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://db/x',
      REDIS_URL: 'localhost:6379',
      ADMIN_TOKEN: 'short',
      PROFILES_WATCH: 'maybe',
    });
    expect(problems).toHaveLength(7);
    for (const name of ['PORT', 'NODE_ENV', 'LOG_LEVEL', 'DATABASE_URL', 'REDIS_URL', 'ADMIN_TOKEN', 'PROFILES_WATCH']) {
      expect(problems.filter((p) => p.startsWith(`${name}（`))).toHaveLength(1);
    }
    expect(problems.join('\n')).toContain('当前值："abc"');
    expect(problems.join('\n')).not.toContain('short');
  });

  it('refuses dev tools in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', DEV_TOOLS: 'true' })).toEqual([
      'DEV_TOOLS：生产环境（NODE_ENV=production）不允许开启开发工具',
    ]);
  });

  it('puts a header and then one problem per line in the message', () => {
    let message = '';
    try {
      loadConfig({ PORT: '70000', NODE_ENV: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toHaveLength(3);
  });

  it('hides the password of a bad database URL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://user:hunter2@db/x' }).join('\n')).not.toContain('hunter2');
  });
});
