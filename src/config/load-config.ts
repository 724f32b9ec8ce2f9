import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import type { AppConfig, SmsConfig } from '#src/config/app-config.js';
import { ENV_SCHEMA, type EnvName, type ValidatedEnv } from '#src/config/env.schema.js';

/** Every problem with the environment at once, one line each, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`环境变量有 ${problems.length} 处错误，服务未启动：\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ENV_NAMES = Object.keys(ENV_SCHEMA.properties) as EnvName[];
const BOOLEAN_NAMES = new Set<EnvName>(['PROFILES_WATCH', 'DEV_TOOLS', 'SMS_WORKER']);
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };

const validateEnv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: true, useDefaults: true }).compile<ValidatedEnv>(ENV_SCHEMA);

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const raw = pickEnv(env);
  const input: Record<string, unknown> = { ...raw };
  for (const name of BOOLEAN_NAMES) {
    const word = raw[name]?.toLowerCase();
    if (word !== undefined && word in BOOLEAN_WORDS) input[name] = BOOLEAN_WORDS[word];
  }

  const problems: string[] = [];
  if (!validateEnv(input)) {
    problems.push(...(validateEnv.errors ?? []).map((error) => describeError(error, raw)));
  }
  const parsed = input as unknown as ValidatedEnv;
  checkUrl(parsed, 'DATABASE_URL', problems);
  checkUrl(parsed, 'REDIS_URL', problems);
  if (parsed.DEV_TOOLS === true && parsed.NODE_ENV === 'production') {
    problems.push('DEV_TOOLS：生产环境（NODE_ENV=production）不允许开启开发工具');
  }
  checkSms(parsed, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const production = parsed.NODE_ENV === 'production';
  return {
    nodeEnv: parsed.NODE_ENV,
    port: parsed.PORT,
    host: parsed.HOST,
    logLevel: parsed.LOG_LEVEL,
    database: parsed.DATABASE_URL ? { kind: 'postgres', url: parsed.DATABASE_URL } : { kind: 'pglite', dataDir: parsed.PGLITE_DIR },
    redisUrl: parsed.REDIS_URL,
    profilesDir: parsed.PROFILES_DIR,
    profilesWatch: parsed.PROFILES_WATCH ?? !production,
    adminToken: parsed.ADMIN_TOKEN,
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    // The demo setting only: a configured database means a real deployment unless said otherwise.
    devTools: parsed.DEV_TOOLS ?? (!parsed.DATABASE_URL && !production),
    templatesDir: parsed.TEMPLATES_DIR,
    caDevTrustDir: parsed.CA_DEV_TRUST_DIR,
    sms: smsConfig(parsed),
  };
}

/** Provider credentials and the secret, checked together so one restart fixes them all. */
function checkSms(env: ValidatedEnv, problems: string[]): void {
  const missing = (names: EnvName[]) => names.filter((name) => env[name] === undefined);
  if (env.NODE_ENV === 'production' && env.SMS_CODE_SECRET === undefined && !problems.some((p) => p.startsWith('SMS_CODE_SECRET'))) {
    problems.push('SMS_CODE_SECRET：生产环境必须设置（至少 32 个字符），否则重启后已发出的验证码全部失效');
  }
  const needs: Partial<Record<ValidatedEnv['SMS_PROVIDER'], EnvName[]>> = {
    aliyun: ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'SMS_TEMPLATE_IDS'],
    tencent: ['TENCENT_SMS_SECRET_ID', 'TENCENT_SMS_SECRET_KEY', 'TENCENT_SMS_SDK_APP_ID', 'SMS_TEMPLATE_IDS'],
  };
  for (const name of missing(needs[env.SMS_PROVIDER] ?? [])) {
    if (!problems.some((p) => p.startsWith(`${name}（`))) problems.push(`${name}：SMS_PROVIDER=${env.SMS_PROVIDER} 时必须设置`);
  }
  if (env.SMS_WORKER === false && env.REDIS_URL === undefined) {
    problems.push('SMS_WORKER：未设置 REDIS_URL 时短信由进程内队列投递，不能关闭本进程的投递（SMS_WORKER=false）');
  }
}

function smsConfig(env: ValidatedEnv): SmsConfig {
  const templateIds = Object.fromEntries(
    (env.SMS_TEMPLATE_IDS ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=').map((part) => part.trim()) as [string, string]),
  );
  return {
    provider: env.SMS_PROVIDER,
    // A generated secret is fine for one demo process; checkSms() refuses it in production.
    codeSecret: env.SMS_CODE_SECRET ?? randomBytes(32).toString('base64url'),
    codeSecretGenerated: env.SMS_CODE_SECRET === undefined,
    templateIds,
    aliyun:
      env.ALIYUN_SMS_ACCESS_KEY_ID && env.ALIYUN_SMS_ACCESS_KEY_SECRET
        ? { accessKeyId: env.ALIYUN_SMS_ACCESS_KEY_ID, accessKeySecret: env.ALIYUN_SMS_ACCESS_KEY_SECRET, endpoint: env.ALIYUN_SMS_ENDPOINT }
        : undefined,
    tencent:
      env.TENCENT_SMS_SECRET_ID && env.TENCENT_SMS_SECRET_KEY && env.TENCENT_SMS_SDK_APP_ID
        ? {
            secretId: env.TENCENT_SMS_SECRET_ID,
            secretKey: env.TENCENT_SMS_SECRET_KEY,
            sdkAppId: env.TENCENT_SMS_SDK_APP_ID,
            region: env.TENCENT_SMS_REGION,
            endpoint: env.TENCENT_SMS_ENDPOINT,
          }
        : undefined,
    queuePrefix: env.SMS_QUEUE_PREFIX,
    worker: env.SMS_WORKER ?? true,
  };
}

/** Only our variables; an empty value counts as unset (as `FOO=` in a compose file means). */
function pickEnv(env: NodeJS.ProcessEnv): Partial<Record<EnvName, string>> {
  const picked: Partial<Record<EnvName, string>> = {};
  for (const name of ENV_NAMES) {
    const value = env[name]?.trim();
    if (value) picked[name] = value;
  }
  return picked;
}

function describeError(error: ErrorObject, raw: Partial<Record<EnvName, string>>): string {
  const name = error.instancePath.slice(1) as EnvName;
  const spec = ENV_SCHEMA.properties[name] as { title: string; description: string } | undefined;
  if (!spec) return `环境变量有误：${error.message ?? error.keyword}`;
  const given = raw[name] === undefined ? '' : `（当前值：${quoteSecret(name, raw[name])}）`;
  const limit = (error.params as { limit?: number }).limit;
  const expected = error.keyword === 'minLength' && SECRET_NAMES.has(name) ? `长度不足 ${limit ?? ''} 个字符` : `取值无效，应为 ${spec.description}`;
  return `${name}（${spec.title}）：${expected}${given}`;
}

function checkUrl(env: ValidatedEnv, name: 'DATABASE_URL' | 'REDIS_URL', problems: string[]): void {
  const value = env[name];
  // One line per variable: a value that already failed the schema needs no second complaint.
  if (value === undefined || problems.some((p) => p.startsWith(`${name}（`))) return;
  const prefix = `${name}（${ENV_SCHEMA.properties[name].title}）`;
  if (!URL.canParse(value)) problems.push(`${prefix}：不是有效的地址`);
  else if (!new URL(value).hostname) problems.push(`${prefix}：缺少主机名`);
}

const SECRET_NAMES = new Set<EnvName>(['ADMIN_TOKEN', 'SMS_CODE_SECRET', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'TENCENT_SMS_SECRET_KEY']);

/** Never echo a secret back into the logs. */
function quoteSecret(name: EnvName, value: string): string {
  if (SECRET_NAMES.has(name)) return '已隐藏';
  if (name === 'DATABASE_URL' || name === 'REDIS_URL') return value.replace(/\/\/([^@/]*)@/, '//***@');
  return `"${value}"`;
}

/** `true`/`false`, or a list of proxy addresses and ranges, as Fastify's trustProxy takes them. */
export function parseTrustProxy(value: string | undefined): boolean | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
