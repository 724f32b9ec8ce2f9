import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum ProcurementErrorCode {
  HANDOFF_NOT_CERTIFIED = 'HANDOFF_NOT_CERTIFIED',
  HANDOFF_NOT_AUTHORISED = 'HANDOFF_NOT_AUTHORISED',
  HANDOFF_UNIT_NOT_CHOSEN = 'HANDOFF_UNIT_NOT_CHOSEN',
  TICKET_INVALID = 'PROCUREMENT_TICKET_INVALID',
  LOGIN_INVALID = 'PROCUREMENT_LOGIN_INVALID',
  LOGIN_THROUGH_HALL = 'PROCUREMENT_LOGIN_THROUGH_HALL',
  SUB_ACCOUNTS_NOT_OFFERED = 'SUB_ACCOUNTS_NOT_OFFERED',
  SUB_ACCOUNT_INVALID = 'SUB_ACCOUNT_INVALID',
  SUB_ACCOUNT_TAKEN = 'SUB_ACCOUNT_TAKEN',
  MAIN_ACCOUNT_ONLY = 'PROCUREMENT_MAIN_ACCOUNT_ONLY',
  SPECIAL_INSTITUTIONS_NOT_OFFERED = 'SPECIAL_INSTITUTIONS_NOT_OFFERED',
  SPECIAL_ACCOUNT_INVALID = 'SPECIAL_ACCOUNT_INVALID',
}

const TABLE: ErrorTable<ProcurementErrorCode> = {
  [ProcurementErrorCode.HANDOFF_NOT_CERTIFIED]: { status: 403, message: '请先完成角色认证，再进入招采系统' },
  [ProcurementErrorCode.HANDOFF_NOT_AUTHORISED]: { status: 403, message: '该经办人尚未获得招采授权，请联系本单位的单位账号在“单位经办人”中进行招采授权' },
  [ProcurementErrorCode.HANDOFF_UNIT_NOT_CHOSEN]: { status: 409, message: '请先选择登录单位' },
  [ProcurementErrorCode.TICKET_INVALID]: { status: 401, message: '进入招采系统的凭证无效或已过期，请从单位网厅重新进入' },
  [ProcurementErrorCode.LOGIN_INVALID]: { status: 400, message: '登录信息有误，请按提示修改' },
  [ProcurementErrorCode.LOGIN_THROUGH_HALL]: { status: 400, message: '本省请通过网上服务大厅登录后进入招采系统' },
  [ProcurementErrorCode.SUB_ACCOUNTS_NOT_OFFERED]: { status: 404, message: '本省未提供机构子账号' },
  [ProcurementErrorCode.SUB_ACCOUNT_INVALID]: { status: 400, message: '子账号信息有误，请按提示修改' },
  [ProcurementErrorCode.SUB_ACCOUNT_TAKEN]: { status: 409, message: '该登录账号或分院已有子账号' },
  [ProcurementErrorCode.MAIN_ACCOUNT_ONLY]: { status: 403, message: '只有主账号（单位账号）可以进行此操作' },
  [ProcurementErrorCode.SPECIAL_INSTITUTIONS_NOT_OFFERED]: { status: 404, message: '本省未设特殊医疗机构账号' },
  [ProcurementErrorCode.SPECIAL_ACCOUNT_INVALID]: { status: 400, message: '特殊医疗机构账号信息有误，请按提示修改' },
};

export const procurementException = exceptionFactory(TABLE);
