import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { ProvinceProfileSchema, type ProvinceProfile } from '#src/profiles/profile.schema.js';
import { fromPointer, type PathSegment } from '#src/profiles/json-pointer.js';

/** A schema violation, still in terms of the resolved profile (locating it is the caller's job). */
export interface SchemaViolation {
  path: PathSegment[];
  /** Point at the key itself rather than its value (an unknown key). */
  at: 'key' | 'value';
  message: string;
}

// ajv-formats is CommonJS: under nodenext the default import is `module.exports`, whose `.default` is the plugin.
const addFormats = addFormatsPlugin.default;

let compiled: ValidateFunction<ProvinceProfile> | undefined;

/** Compiled once per process: compiling is the expensive part of validation. */
export function profileValidator(): ValidateFunction<ProvinceProfile> {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
    addFormats(ajv, ['uri', 'email', 'date']);
    compiled = ajv.compile<ProvinceProfile>(ProvinceProfileSchema);
  }
  return compiled;
}

export function validateProfile(value: unknown): { profile?: ProvinceProfile; violations: SchemaViolation[] } {
  const validate = profileValidator();
  if (validate(value)) return { profile: value, violations: [] };
  return { violations: (validate.errors ?? []).map(toViolation) };
}

const TYPE_NAMES: Record<string, string> = {
  string: '字符串',
  integer: '整数',
  number: '数字',
  boolean: '布尔值（true/false）',
  object: '键值映射',
  array: '列表',
  null: '空值',
};

function toViolation(error: ErrorObject): SchemaViolation {
  const path = fromPointer(error.instancePath);
  const title = (error.parentSchema as { title?: string } | undefined)?.title;
  const subject = title ? `「${title}」` : '';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], at: 'key', message: `未知的键 "${String(params.additionalProperty)}"` };
    case 'required':
      return { path, at: 'key', message: `缺少必填项 "${String(params.missingProperty)}"` };
    case 'type':
      return { path, at: 'value', message: `${subject}类型错误：应为${TYPE_NAMES[String(params.type)] ?? String(params.type)}` };
    case 'enum':
      return { path, at: 'value', message: `${subject}取值无效：应为 ${(params.allowedValues as unknown[]).map(String).join(' | ')} 之一` };
    case 'pattern':
      return { path, at: 'value', message: `${subject}格式不符：应匹配 ${String(params.pattern)}` };
    case 'format':
      return { path, at: 'value', message: `${subject}格式不符：应为 ${String(params.format)}` };
    case 'minLength':
      return { path, at: 'value', message: `${subject}不能为空` };
    case 'minItems':
      return { path, at: 'value', message: `${subject}至少需要 ${String(params.limit)} 项` };
    case 'uniqueItems':
      return { path, at: 'value', message: `${subject}有重复项（第 ${String(params.j)} 项与第 ${String(params.i)} 项相同）` };
    case 'minimum':
    case 'maximum':
      return { path, at: 'value', message: `${subject}应 ${String(params.comparison)} ${String(params.limit)}` };
    default:
      return { path, at: 'value', message: `${subject}${error.message ?? error.keyword}` };
  }
}
