/**
 * Checks that a schema cannot express: references between parts of a profile, and duplicates
 * that would otherwise be silently merged away.
 */
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { SchemaViolation } from '#src/profiles/profile-validator.js';
import type { PathSegment } from '#src/profiles/json-pointer.js';
import { isPlainObject } from '#src/profiles/profile-merge.js';
import { RESERVED_PROVINCE_IDS } from '#src/profiles/reserved-province-ids.js';

type Check = (profile: ProvinceProfile) => SchemaViolation[];

const at = (path: PathSegment[], message: string): SchemaViolation => ({ path, at: 'value', message });

const loginMethodsNeedTheirVendor: Check = (p) => {
  const vendors = new Set(p.caVendors.map((v) => v.id));
  return p.login.methods.flatMap((method, i) => {
    const path = ['login', 'methods', i];
    if (method.id === 'ca' && method.enabled && !method.caVendor) return [at(path, 'CA 登录方式必须用 caVendor 指明 CA 厂商')];
    if (method.caVendor !== undefined && !vendors.has(method.caVendor)) return [at([...path, 'caVendor'], `未定义的 CA 厂商 "${method.caVendor}"（caVendors 中没有）`)];
    return [];
  });
};

const atLeastOneLoginMethod: Check = (p) => (p.login.methods.some((m) => m.enabled) ? [] : [at(['login', 'methods'], '至少要启用一种登录方式')]);

const menuReferences: Check = (p) => {
  const issues: SchemaViolation[] = [];
  const menuIds = new Map<string, string>();
  const roleTypes = new Set(p.roleTypes.map((r) => r.id));
  p.procurement.menus.forEach((module, m) => {
    module.items.forEach((item, i) => {
      const path = ['procurement', 'menus', m, 'items', i];
      if (menuIds.has(item.id)) issues.push(at([...path, 'id'], `菜单标识 "${item.id}" 重复（已用于 ${menuIds.get(item.id) ?? ''}）`));
      menuIds.set(item.id, `${module.title} › ${item.title}`);
      (item.roleTypes ?? []).forEach((roleType, r) => {
        if (!roleTypes.has(roleType)) issues.push(at([...path, 'roleTypes', r], `未定义的角色类型 "${roleType}"`));
      });
    });
  });
  p.procurement.defaultRoles.forEach((role, r) => {
    role.menus.forEach((menu, i) => {
      if (!menuIds.has(menu)) issues.push(at(['procurement', 'defaultRoles', r, 'menus', i], `角色「${role.name}」引用了未知的菜单 "${menu}"`));
    });
  });
  return issues;
};

const qqGroups: Check = (p) => {
  const issues: SchemaViolation[] = [];
  const numbers = new Map<string, string>();
  const categories = new Set(p.productCategories.map((c) => c.id));
  const roleTypes = new Set(p.roleTypes.map((r) => r.id));
  p.support.qqGroups.forEach((group, i) => {
    const path = ['support', 'qqGroups', i];
    const first = numbers.get(group.number);
    if (first !== undefined) issues.push(at([...path, 'number'], `QQ 群号 ${group.number} 重复（已列为「${first}」）`));
    numbers.set(group.number, group.name);
    if (!categories.has(group.category)) issues.push(at([...path, 'category'], `未定义的产品类别 "${group.category}"`));
    if (!roleTypes.has(group.roleType)) issues.push(at([...path, 'roleType'], `未定义的角色类型 "${group.roleType}"`));
  });
  return issues;
};

const urlsThatRulesNeed: Check = (p) => {
  const issues: SchemaViolation[] = [];
  const distributorsInProcurement = p.roleTypes.some((r) => r.offered && r.registersAt === 'procurement');
  if (distributorsInProcurement && !p.urls.distributorRegistration) issues.push(at(['urls'], '配送企业在招采子系统注册时须提供 urls.distributorRegistration'));
  const needsLocalLogin = p.institutions.branchSameUsccLogin === 'procurement-local' || p.institutions.special.some((s) => s.loginAt === 'procurement-local');
  if (needsLocalLogin && !p.urls.procurementLocalLogin) issues.push(at(['institutions'], '有机构通过招采子系统自有登录页登录时须提供 urls.procurementLocalLogin'));
  return issues;
};

const ruleSourcesHaveDocuments: Check = (p) => {
  const prefixes = new Set(p.documents.map((d) => d.rulePrefix));
  const issues: SchemaViolation[] = [];
  walk(p, [], (value, path) => {
    if (path[path.length - 1] !== 'source' || !Array.isArray(value)) return;
    value.forEach((id, i) => {
      const prefix = String(id).split('-')[0] ?? '';
      if (!prefixes.has(prefix)) issues.push(at([...path, i], `规则编号 ${String(id)} 的前缀 ${prefix} 没有对应的来源文件（documents[].rulePrefix）`));
    });
  });
  return issues;
};

const consistentLimits: Check = (p) => {
  const issues: SchemaViolation[] = [];
  const policy = p.registration.passwordPolicy;
  if (policy.minLength > policy.maxLength) issues.push(at(['registration', 'passwordPolicy', 'minLength'], `密码最短长度 ${policy.minLength} 大于最长长度 ${policy.maxLength}`));
  if (p.feedback.enabled && p.feedback.fields.length === 0) issues.push(at(['feedback', 'fields'], '开放反馈时须列出反馈字段'));
  if (!p.feedback.enabled && !p.feedback.alternative) issues.push(at(['feedback'], '不开放反馈时须用 alternative 告诉用户向哪里求助'));
  return issues;
};

/** Fields the registration cannot do without, whatever else a province asks (the accounts are made of them). */
export const REQUIRED_UNIT_KEYS = ['unitAccount', 'unitPassword', 'unitName', 'uscc'] as const;
export const REQUIRED_OPERATOR_KEYS = ['name', 'idType', 'idNumber', 'mobile', 'password'] as const;

const registrationHasItsAccounts: Check = (p) => {
  if (!p.registration.enabled) return [];
  const missing = (list: 'unitFields' | 'operatorFields', keys: readonly string[]) => {
    const fields = p.registration[list];
    return keys.flatMap((key) => {
      const field = fields.find((f) => f.id === key);
      if (!field) return [at(['registration', list], `开放注册时须有字段 "${key}"（生成账号需要它）`)];
      return field.required ? [] : [at(['registration', list, fields.indexOf(field), 'required'], `字段 "${key}" 必须为必填项（生成账号需要它）`)];
    });
  };
  return [...missing('unitFields', REQUIRED_UNIT_KEYS), ...missing('operatorFields', REQUIRED_OPERATOR_KEYS)];
};

const idNotReserved: Check = (p) =>
  RESERVED_PROVINCE_IDS.has(p.id) ? [at(['id'], `省份标识 "${p.id}" 与站点自身的路径冲突，不能使用（保留：${[...RESERVED_PROVINCE_IDS].join('、')}）`)] : [];

export const CROSS_CHECKS: readonly Check[] = [idNotReserved, loginMethodsNeedTheirVendor, atLeastOneLoginMethod, menuReferences, qqGroups, urlsThatRulesNeed, ruleSourcesHaveDocuments, consistentLimits, registrationHasItsAccounts];

/**
 * Runs every check, also on a profile that failed the schema, so that all problems come out at
 * once; a check that trips over a part of the wrong shape says nothing (the schema already did).
 */
export function crossCheck(profile: unknown): SchemaViolation[] {
  return CROSS_CHECKS.flatMap((check) => {
    try {
      return check(profile as ProvinceProfile);
    } catch {
      return [];
    }
  });
}

/**
 * Two items with the same `id` in one file would be merged into one without a word: find them in
 * the raw file, before merging.
 */
export function duplicateIds(data: unknown): SchemaViolation[] {
  const issues: SchemaViolation[] = [];
  walk(data, [], (value, path) => {
    if (!Array.isArray(value)) return;
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (!isPlainObject(item) || typeof item.id !== 'string') return;
      if (seen.has(item.id)) issues.push(at([...path, i, 'id'], `列表中的标识 "${item.id}" 重复`));
      seen.add(item.id);
    });
  });
  return issues;
}

function walk(value: unknown, path: PathSegment[], visit: (value: unknown, path: PathSegment[]) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], visit));
  else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) walk(item, [...path, key], visit);
}
