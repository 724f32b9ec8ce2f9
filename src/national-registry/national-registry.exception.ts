import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum RegistryErrorCode {
  REGISTRY_PROVINCE_REQUIRED = 'REGISTRY_PROVINCE_REQUIRED',
}

const TABLE: ErrorTable<RegistryErrorCode> = {
  [RegistryErrorCode.REGISTRY_PROVINCE_REQUIRED]: { status: 400, message: '请用 province 参数指明省份（标识或行政区划代码，例如 ?province=jilin）' },
};

export const registryException = exceptionFactory(TABLE);
