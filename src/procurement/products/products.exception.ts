import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

/** 挂网产品对码 (JL-16). */
export enum ProductsErrorCode {
  LISTED_PRODUCT_NOT_FOUND = 'LISTED_PRODUCT_NOT_FOUND',
  NATIONAL_PRODUCT_NOT_FOUND = 'NATIONAL_PRODUCT_NOT_FOUND',
  PRODUCT_ALREADY_MATCHED = 'PRODUCT_ALREADY_MATCHED',
  PRODUCT_NOT_MATCHED = 'PRODUCT_NOT_MATCHED',
  PRODUCT_QUERY_INVALID = 'PRODUCT_QUERY_INVALID',
}

const TABLE: ErrorTable<ProductsErrorCode> = {
  [ProductsErrorCode.LISTED_PRODUCT_NOT_FOUND]: { status: 404, message: '本单位没有该挂网产品' },
  [ProductsErrorCode.NATIONAL_PRODUCT_NOT_FOUND]: { status: 404, message: '国家基础产品信息中没有该产品' },
  [ProductsErrorCode.PRODUCT_ALREADY_MATCHED]: { status: 409, message: '该挂网产品已对码，请先取消对码再重新对码' },
  [ProductsErrorCode.PRODUCT_NOT_MATCHED]: { status: 409, message: '该挂网产品尚未对码' },
  [ProductsErrorCode.PRODUCT_QUERY_INVALID]: { status: 400, message: '查询条件不正确' },
};

export const productsException = exceptionFactory(TABLE);
