import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum AuthzErrorCode {
  ADMIN_DISABLED = 'ADMIN_DISABLED',
  ADMIN_TOKEN_INVALID = 'ADMIN_TOKEN_INVALID',
}

const TABLE: ErrorTable<AuthzErrorCode> = {
  [AuthzErrorCode.ADMIN_DISABLED]: { status: 403, message: '管理接口未启用：服务端未配置 ADMIN_TOKEN' },
  [AuthzErrorCode.ADMIN_TOKEN_INVALID]: { status: 401, message: '管理令牌无效或缺失（请求头 Authorization: Bearer <令牌>）' },
};

export const authzException = exceptionFactory(TABLE);
