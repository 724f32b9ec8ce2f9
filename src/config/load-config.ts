import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import type { AppConfig } from '#src/config/app-config.js';
import { ENV_SCHEMA, type EnvName, type ValidatedEnv } from '#src/config/env.schema.js';

/** Every problem with the environment at once, one line each, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`环境变量有 ${problems.length} 处错误，服务未启动：\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ENV_NAMES = Object.keys(ENV_SCHEMA.properties) as EnvName[];
const BOOLEAN_NAMES = new Set<EnvName>(['PROFILES_WATCH', 'DEV_TOOLS']);
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
    // The demo setting only: a configured database means a real deployment unless said otherwise.
    devTools: parsed.DEV_TOOLS ?? (!parsed.DATABASE_URL && !production),
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
  const expected = error.keyword === 'minLength' && name === 'ADMIN_TOKEN' ? '长度不足 16 个字符' : `取值无效，应为 ${spec.description}`;
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

/** Never echo a secret back into the logs. */
function quoteSecret(name: EnvName, value: string): string {
  if (name === 'ADMIN_TOKEN') return '已隐藏';
  if (name === 'DATABASE_URL' || name === 'REDIS_URL') return value.replace(/\/\/([^@/]*)@/, '//***@');
  return `"${value}"`;
}
