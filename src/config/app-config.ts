/** The validated environment, as the rest of the app sees it. Built once at boot by loadConfig(). */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  redisUrl: string | undefined;
  /** Folder holding _national.yaml and <id>.yaml. */
  profilesDir: string;
  /** Reload profiles when a file in profilesDir changes (dev). */
  profilesWatch: boolean;
  /** Bearer token for /api/v1/admin/* until administrator accounts exist; unset disables them. */
  adminToken: string | undefined;
  /** /api/v1/dev/* tools: on in the demo setting only (DESIGN.md, Dev tools). */
  devTools: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
