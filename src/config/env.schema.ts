/**
 * The environment variables the service reads, as one JSON Schema (Ajv, coercing strings). Defaults
 * that depend on another variable (PROFILES_WATCH, DEV_TOOLS) are left out here and settled in
 * loadConfig(), which sees the whole environment.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const SMS_PROVIDERS = ['outbox', 'aliyun', 'tencent'] as const;

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
    TRUST_PROXY: {
      type: 'string',
      pattern: '^[A-Za-z0-9.:/,\\s-]+$',
      title: '信任的反向代理',
      description: 'true（信任所有）或逗号分隔的代理地址/网段（如 127.0.0.1,10.0.0.0/8、loopback）；不设置则不信任 X-Forwarded-For',
    },
    ADMIN_TOKEN: { type: 'string', minLength: 16, title: '管理接口令牌', description: '至少 16 个字符；不设置则关闭 /api/v1/admin/*' },
    DEV_TOOLS: {
      type: 'boolean',
      title: '开发工具',
      description: 'true 或 false；仅在未设置 DATABASE_URL 且非生产环境时默认开启',
    },
    TEMPLATES_DIR: { type: 'string', minLength: 1, default: './templates', title: '模板目录', description: '存放 sms/ 与 provinces/<省份>/ 模板的目录' },
    CA_DEV_TRUST_DIR: {
      type: 'string',
      minLength: 1,
      default: './.data/ca/trusted',
      title: 'CA 开发信任目录',
      description: '目录路径；仅在开发工具开启时，其中 <省份>/<CA 厂商>/*.pem 的根证书追加为该厂商的受信任根（npm run province -- ca init 写入）',
    },
    SMS_PROVIDER: { type: 'string', enum: [...SMS_PROVIDERS], default: 'outbox', title: '短信通道', description: 'outbox（仅存入发件箱，不真正发出）、aliyun 或 tencent' },
    SMS_CODE_SECRET: {
      type: 'string',
      minLength: 32,
      title: '短信验证码密钥',
      description: '至少 32 个字符；用于验证码摘要与队列内容加密；生产环境必填，多进程部署须一致',
    },
    SMS_TEMPLATE_IDS: {
      type: 'string',
      pattern: '^[a-z-]+=[^,=]+(,[a-z-]+=[^,=]+)*$',
      title: '短信模板编号',
      description: '用途=通道模板编号，逗号分隔，如 registration=SMS_1,add-operator=SMS_2',
    },
    SMS_QUEUE_PREFIX: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', default: 'pe', title: '短信队列前缀', description: 'BullMQ 在 Redis 中的键前缀（字母、数字、_.-）' },
    SMS_WORKER: { type: 'boolean', title: '本进程投递短信', description: 'true 或 false；默认 true。false 时只入队，由独立的 worker 进程投递（须设置 REDIS_URL）' },
    ALIYUN_SMS_ACCESS_KEY_ID: { type: 'string', minLength: 1, title: '阿里云 AccessKey ID', description: '阿里云短信服务的 AccessKey ID' },
    ALIYUN_SMS_ACCESS_KEY_SECRET: { type: 'string', minLength: 1, title: '阿里云 AccessKey Secret', description: '阿里云短信服务的 AccessKey Secret' },
    ALIYUN_SMS_ENDPOINT: { type: 'string', pattern: '^https?://', default: 'https://dysmsapi.aliyuncs.com/', title: '阿里云短信接口地址', description: '形如 https://dysmsapi.aliyuncs.com/' },
    TENCENT_SMS_SECRET_ID: { type: 'string', minLength: 1, title: '腾讯云 SecretId', description: '腾讯云 API 密钥 SecretId' },
    TENCENT_SMS_SECRET_KEY: { type: 'string', minLength: 1, title: '腾讯云 SecretKey', description: '腾讯云 API 密钥 SecretKey' },
    TENCENT_SMS_SDK_APP_ID: { type: 'string', pattern: '^[0-9]+$', title: '腾讯云短信 SdkAppId', description: '短信应用的 SdkAppId（数字）' },
    TENCENT_SMS_REGION: { type: 'string', minLength: 1, default: 'ap-guangzhou', title: '腾讯云地域', description: '如 ap-guangzhou' },
    TENCENT_SMS_ENDPOINT: { type: 'string', pattern: '^https?://', default: 'https://sms.tencentcloudapi.com/', title: '腾讯云短信接口地址', description: '形如 https://sms.tencentcloudapi.com/' },
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
  TRUST_PROXY?: string;
  ADMIN_TOKEN?: string;
  DEV_TOOLS?: boolean;
  TEMPLATES_DIR: string;
  CA_DEV_TRUST_DIR: string;
  SMS_PROVIDER: (typeof SMS_PROVIDERS)[number];
  SMS_CODE_SECRET?: string;
  SMS_TEMPLATE_IDS?: string;
  SMS_QUEUE_PREFIX: string;
  SMS_WORKER?: boolean;
  ALIYUN_SMS_ACCESS_KEY_ID?: string;
  ALIYUN_SMS_ACCESS_KEY_SECRET?: string;
  ALIYUN_SMS_ENDPOINT: string;
  TENCENT_SMS_SECRET_ID?: string;
  TENCENT_SMS_SECRET_KEY?: string;
  TENCENT_SMS_SDK_APP_ID?: string;
  TENCENT_SMS_REGION: string;
  TENCENT_SMS_ENDPOINT: string;
}
