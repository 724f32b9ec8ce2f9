import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum TenancyErrorCode {
  /** A province page was asked for without a province in the path, on a host no profile lists. */
  PROVINCE_REQUIRED = 'PROVINCE_REQUIRED',
}

const TABLE: ErrorTable<TenancyErrorCode> = {
  [TenancyErrorCode.PROVINCE_REQUIRED]: { status: 404, message: '请先选择省份' },
};

export const tenancyException = exceptionFactory(TABLE);
