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
      trustProxy: false,
      devTools: true,
      templatesDir: './templates',
      caDevTrustDir: './.data/ca/trusted',
      sms: {
        provider: 'outbox',
        codeSecret: expect.stringMatching(/^[\w-]{43}$/) as unknown,
        codeSecretGenerated: true,
        templateIds: {},
        aliyun: undefined,
        tencent: undefined,
        queuePrefix: 'pe',
        worker: true,
      },
    });
  });

  it('reads the SMS provider, its credentials and template ids', () => {
    const sms = loadConfig({
      SMS_PROVIDER: 'aliyun',
      SMS_CODE_SECRET: 'x'.repeat(32),
      ALIYUN_SMS_ACCESS_KEY_ID: 'id',
      ALIYUN_SMS_ACCESS_KEY_SECRET: 'secret',
      SMS_TEMPLATE_IDS: 'registration=SMS_1, add-operator=SMS_2'.replace(' ', ''),
    }).sms;
    expect(sms).toMatchObject({
      provider: 'aliyun',
      codeSecret: 'x'.repeat(32),
      codeSecretGenerated: false,
      templateIds: { registration: 'SMS_1', 'add-operator': 'SMS_2' },
      aliyun: { accessKeyId: 'id', accessKeySecret: 'secret', endpoint: 'https://dysmsapi.aliyuncs.com/' },
    });
  });

  it('lists what a provider lacks, requires the code secret in production, and never echoes secrets', () => {
    expect(problemsOf({ SMS_PROVIDER: 'tencent', TENCENT_SMS_SECRET_KEY: 'k' })).toEqual([
      'TENCENT_SMS_SECRET_ID：SMS_PROVIDER=tencent 时必须设置',
      'TENCENT_SMS_SDK_APP_ID：SMS_PROVIDER=tencent 时必须设置',
      'SMS_TEMPLATE_IDS：SMS_PROVIDER=tencent 时必须设置',
    ]);
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^SMS_CODE_SECRET：生产环境必须设置/)]);
    const short = problemsOf({ SMS_CODE_SECRET: 'too-short-secret' });
    expect(short).toEqual(['SMS_CODE_SECRET（短信验证码密钥）：长度不足 32 个字符（当前值：已隐藏）']);
    expect(problemsOf({ SMS_WORKER: 'false' })).toEqual([expect.stringMatching(/^SMS_WORKER：未设置 REDIS_URL/)]);
  });

  it('reads which proxies to trust for the client address (per-IP limits)', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'loopback']);
    expect(() => loadConfig({ TRUST_PROXY: '127.0.0.1;rm' })).toThrow(/TRUST_PROXY（信任的反向代理）/);
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
    const config = loadConfig({ NODE_ENV: 'production', SMS_CODE_SECRET: 's'.repeat(32) });
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
    expect(problemsOf({ NODE_ENV: 'production', DEV_TOOLS: 'true', SMS_CODE_SECRET: 's'.repeat(32) })).toEqual([
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
