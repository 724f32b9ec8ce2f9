import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum HallErrorCode {
  UNIT_NOT_CHOSEN = 'HALL_UNIT_NOT_CHOSEN',
  CERTIFICATION_INVALID = 'CERTIFICATION_INVALID',
  ROLE_TYPE_NOT_OFFERED = 'ROLE_TYPE_NOT_OFFERED',
  ROLE_TYPE_NOT_IN_REGISTRY = 'ROLE_TYPE_NOT_IN_REGISTRY',
  CERTIFIER_NOT_ALLOWED = 'CERTIFIER_NOT_ALLOWED',
  ALREADY_CERTIFIED = 'ALREADY_CERTIFIED',
  UNIT_ACCOUNT_ONLY = 'UNIT_ACCOUNT_ONLY',
  OPERATOR_NOT_FOUND = 'OPERATOR_NOT_FOUND',
  OPERATOR_ACTION_NOT_OFFERED = 'OPERATOR_ACTION_NOT_OFFERED',
  OPERATOR_PASSWORD_INVALID = 'OPERATOR_PASSWORD_INVALID',
  OPERATOR_ADD_INVALID = 'OPERATOR_ADD_INVALID',
  OPERATOR_NOT_REGISTERED = 'OPERATOR_NOT_REGISTERED',
  OPERATOR_ALREADY_BOUND = 'OPERATOR_ALREADY_BOUND',
  OPERATOR_MOBILE_TAKEN = 'OPERATOR_MOBILE_TAKEN',
  DEREGISTRATION_NOT_OFFERED = 'DEREGISTRATION_NOT_OFFERED',
  DEREGISTRATION_INVALID = 'DEREGISTRATION_INVALID',
}

const TABLE: ErrorTable<HallErrorCode> = {
  [HallErrorCode.UNIT_NOT_CHOSEN]: { status: 409, message: '请先选择登录单位' },
  [HallErrorCode.CERTIFICATION_INVALID]: { status: 400, message: '请选择要认证的角色类型' },
  [HallErrorCode.ROLE_TYPE_NOT_OFFERED]: { status: 400, message: '本省不提供该角色类型的认证' },
  [HallErrorCode.ROLE_TYPE_NOT_IN_REGISTRY]: { status: 422, message: '该角色类型与本单位在国家医保信息业务编码标准数据库中的信息不符，请先到动态维护平台维护' },
  [HallErrorCode.CERTIFIER_NOT_ALLOWED]: { status: 403, message: '本省须由单位账号（主账号）进行角色认证' },
  [HallErrorCode.ALREADY_CERTIFIED]: { status: 409, message: '已完成角色认证，无需再次认证' },
  [HallErrorCode.UNIT_ACCOUNT_ONLY]: { status: 403, message: '只有单位账号（主账号）可以管理本单位的经办人' },
  [HallErrorCode.OPERATOR_NOT_FOUND]: { status: 404, message: '本单位没有该经办人' },
  [HallErrorCode.OPERATOR_ACTION_NOT_OFFERED]: { status: 400, message: '本省未提供该经办人操作' },
  [HallErrorCode.OPERATOR_PASSWORD_INVALID]: { status: 400, message: '新密码有误，请按提示修改' },
  [HallErrorCode.OPERATOR_ADD_INVALID]: { status: 400, message: '经办人信息有误，请按提示修改' },
  [HallErrorCode.OPERATOR_NOT_REGISTERED]: { status: 404, message: '该经办人尚未注册经办人账号' },
  [HallErrorCode.OPERATOR_ALREADY_BOUND]: { status: 409, message: '该经办人已是本单位的经办人' },
  [HallErrorCode.OPERATOR_MOBILE_TAKEN]: { status: 409, message: '该手机号已是经办人账号，请按已注册经办人添加' },
  [HallErrorCode.DEREGISTRATION_NOT_OFFERED]: { status: 400, message: '本省未提供注销网厅账号' },
  [HallErrorCode.DEREGISTRATION_INVALID]: { status: 400, message: '请按提示确认注销' },
};

export const hallException = exceptionFactory(TABLE);
