import { ConfigError } from '#src/config/load-config.js';
import { DataDirLockedError } from '#src/database/data-dir-lock.js';
import { ProfileLoadError } from '#src/profiles/profile-registry.service.js';

/**
 * What to print when the service cannot start. Problems the operator can fix get their message
 * alone (already Chinese, already listing everything); anything else gets its stack.
 */
export function describeStartupFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof ProfileLoadError) return error.message;
  if (error instanceof Error) return `启动失败：${error.stack ?? error.message}`;
  return `启动失败：${String(error)}`;
}
