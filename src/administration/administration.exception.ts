import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum AdministrationErrorCode {
  INVALID_CREDENTIALS = 'ADMIN_INVALID_CREDENTIALS',
  ACCOUNT_DISABLED = 'ADMIN_ACCOUNT_DISABLED',
  ACCOUNT_NAME_INVALID = 'ADMIN_ACCOUNT_NAME_INVALID',
  ACCOUNT_TAKEN = 'ADMIN_ACCOUNT_TAKEN',
  PASSWORD_INVALID = 'ADMIN_PASSWORD_INVALID',
  UNIT_NOT_FOUND = 'ADMIN_UNIT_NOT_FOUND',
  FILTER_INVALID = 'ADMIN_FILTER_INVALID',
}

const TABLE: ErrorTable<AdministrationErrorCode> = {
  // The same answer for an unknown account and a wrong password: nothing says which it was.
  [AdministrationErrorCode.INVALID_CREDENTIALS]: { status: 401, message: '管理员账号或密码错误' },
  [AdministrationErrorCode.ACCOUNT_DISABLED]: { status: 403, message: '该管理员账号已停用' },
  [AdministrationErrorCode.ACCOUNT_NAME_INVALID]: { status: 400, message: '管理员账号须以英文字母开头，由 3-32 位英文字母、数字、点、下划线或连字符组成' },
  [AdministrationErrorCode.ACCOUNT_TAKEN]: { status: 409, message: '本省已有同名的管理员账号（不区分大小写）' },
  [AdministrationErrorCode.PASSWORD_INVALID]: { status: 400, message: '密码不符合本省的密码规则' },
  [AdministrationErrorCode.UNIT_NOT_FOUND]: { status: 404, message: '本省没有该单位' },
  [AdministrationErrorCode.FILTER_INVALID]: { status: 400, message: '查询条件有误，请按提示修改' },
};

export const administrationException = exceptionFactory(TABLE);
