/** The validated environment, as the rest of the app sees it. Built once at boot by loadConfig(). */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * `initialDump` (PGlite's dumpDataDir) seeds an in-memory database instead of an empty one: the
   * tests start each app from one migrated copy rather than running initdb and every migration again.
   */
  database: { kind: 'pglite'; dataDir: string; initialDump?: Blob } | { kind: 'postgres'; url: string };
  redisUrl: string | undefined;
  /** Folder holding _national.yaml and <id>.yaml. */
  profilesDir: string;
  /** Reload profiles when a file in profilesDir changes (dev). */
  profilesWatch: boolean;
  /** Bearer token for /api/v1/admin/* until administrator accounts exist; unset disables them. */
  adminToken: string | undefined;
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify `trustProxy`): the client address feeds the
   * per-IP SMS and feedback limits, so behind a proxy it must be set or everyone shares one budget.
   */
  trustProxy?: boolean | string[];
  /** /api/v1/dev/* tools: on in the demo setting only (DESIGN.md, Dev tools). */
  devTools: boolean;
  /** Handlebars templates: sms/<purpose>.hbs and provinces/<id>/ overrides. */
  templatesDir: string;
  /**
   * Dev CA roots (`npm run province -- ca init`) read from `<dir>/<province>/<vendor>/*.pem` and
   * added to that vendor's trusted roots, only while devTools is on; never the shipped profile.
   */
  caDevTrustDir?: string | undefined;
  sms: SmsConfig;
}

export type SmsProviderName = 'outbox' | 'aliyun' | 'tencent';

export interface SmsConfig {
  provider: SmsProviderName;
  /** Key material for code digests and sealed queue payloads; generated per process when unset outside production. */
  codeSecret: string;
  /** True when codeSecret was generated at boot (boot log warns: codes die with the process). */
  codeSecretGenerated: boolean;
  /** The provider's template id per purpose (aliyun/tencent); empty for outbox. */
  templateIds: Readonly<Record<string, string>>;
  aliyun: { accessKeyId: string; accessKeySecret: string; endpoint: string } | undefined;
  tencent: { secretId: string; secretKey: string; sdkAppId: string; region: string; endpoint: string } | undefined;
  /** BullMQ key prefix in Redis. */
  queuePrefix: string;
  /** Run the delivery worker in this process (false: a separate `sms-worker` process delivers). */
  worker: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
