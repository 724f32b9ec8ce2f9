import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum ProfilesErrorCode {
  PROVINCE_NOT_FOUND = 'PROVINCE_NOT_FOUND',
  PROFILES_INVALID = 'PROFILES_INVALID',
  COMPARE_BAD_QUERY = 'COMPARE_BAD_QUERY',
}

const TABLE: ErrorTable<ProfilesErrorCode> = {
  [ProfilesErrorCode.PROVINCE_NOT_FOUND]: { status: 404, message: '未找到该省份' },
  [ProfilesErrorCode.PROFILES_INVALID]: { status: 422, message: '省份配置有错误，未加载；正在运行的配置保持不变' },
  [ProfilesErrorCode.COMPARE_BAD_QUERY]: { status: 400, message: '比较参数有误' },
};

export const profilesException = exceptionFactory(TABLE);
