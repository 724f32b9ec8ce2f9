/**
 * The environment variables the service reads, as one JSON Schema (Ajv, coercing strings). Defaults
 * that depend on another variable (PROFILES_WATCH, DEV_TOOLS) are left out here and settled in
 * loadConfig(), which sees the whole environment.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;

export const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, title: '监听端口', description: '0 到 65535 之间的整数' },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0', title: '监听地址', description: '例如 0.0.0.0 或 127.0.0.1' },
    NODE_ENV: { type: 'string', enum: [...NODE_ENVS], default: 'development', title: '运行环境', description: 'development、production 或 test' },
    LOG_LEVEL: { type: 'string', enum: [...LOG_LEVELS], default: 'info', title: '日志级别', description: LOG_LEVELS.join('、') },
    DATABASE_URL: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      title: 'PostgreSQL 连接地址',
      description: '形如 postgres://用户:密码@主机:5432/数据库；不设置则使用嵌入式 PGlite',
    },
    PGLITE_DIR: {
      type: 'string',
      minLength: 1,
      default: './.data/pglite',
      title: '嵌入式数据库目录',
      description: '目录路径，或 memory:// 表示仅在内存中（测试用）',
    },
    REDIS_URL: { type: 'string', pattern: '^rediss?://', title: 'Redis 连接地址', description: '形如 redis://主机:6379' },
    PROFILES_DIR: { type: 'string', minLength: 1, default: './provinces', title: '省份配置目录', description: '存放 _national.yaml 与各省 YAML 的目录' },
    PROFILES_WATCH: { type: 'boolean', title: '自动重新加载省份配置', description: 'true 或 false；生产环境默认 false，其余默认 true' },
    ADMIN_TOKEN: { type: 'string', minLength: 16, title: '管理接口令牌', description: '至少 16 个字符；不设置则关闭 /api/v1/admin/*' },
    DEV_TOOLS: {
      type: 'boolean',
      title: '开发工具',
      description: 'true 或 false；仅在未设置 DATABASE_URL 且非生产环境时默认开启',
    },
  },
} as const;

export type EnvName = keyof typeof ENV_SCHEMA.properties;

/** The environment after validation, coercion and the schema's defaults. */
export interface ValidatedEnv {
  PORT: number;
  HOST: string;
  NODE_ENV: (typeof NODE_ENVS)[number];
  LOG_LEVEL: (typeof LOG_LEVELS)[number];
  DATABASE_URL?: string;
  PGLITE_DIR: string;
  REDIS_URL?: string;
  PROFILES_DIR: string;
  PROFILES_WATCH?: boolean;
  ADMIN_TOKEN?: string;
  DEV_TOOLS?: boolean;
}
