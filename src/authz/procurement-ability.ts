/**
 * The CASL ability of a procurement account (N-6, XZ-10, JL-8, JL-14): what the province's menus
 * offer to the unit's role types, narrowed to what the account holds — everything for the unit's
 * main account (after registration only it holds permissions, N-6), its role's menu buttons for
 * everyone else — and never a business menu for a main account that manages but does not transact
 * (JL-8). Every rule carries the province and the unit, so one rule both answers a route's check and
 * filters its list queries in SQL. Pure: no Nest, no database.
 */
import { AbilityBuilder, createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

/** A menu's id is the subject, its button's id the action: `can('match', 'product-matching')`. */
export type ProcurementAbility = MongoAbility;

/** The tenant scope of every rule: the data of this province's unit. */
export interface ScopeConditions {
  provinceId: string;
  unitId?: string | undefined;
}

/** Granted buttons per menu id, as a role stores them: `{ 'account-roles': ['query', 'add'] }`. */
export type MenuPermissions = Readonly<Record<string, readonly string[]>>;

export interface AbilityActor {
  provinceId: string;
  unitId: string | undefined;
  roleTypes: readonly string[];
  isMainAccount: boolean;
  canTransact: boolean;
}

type MenuItem = ProvinceProfile['procurement']['menus'][number]['items'][number];

/** The menus of the province open to the unit's role types (产品对码 is for manufacturers only). */
export function menusForRoleTypes(profile: ProvinceProfile, roleTypes: readonly string[]): Array<{ id: string; title: string; items: MenuItem[] }> {
  return profile.procurement.menus
    .map((menu) => ({ id: menu.id, title: menu.title, items: menu.items.filter((item) => !item.roleTypes || item.roleTypes.some((r) => roleTypes.includes(r))) }))
    .filter((menu) => menu.items.length > 0);
}

export function buildProcurementAbility(profile: ProvinceProfile, actor: AbilityActor, permissions: MenuPermissions): ProcurementAbility {
  const { can, build } = new AbilityBuilder<ProcurementAbility>(createMongoAbility);
  // A special institution belongs to no hall unit (AH-7): no unit, nothing to administer.
  if (actor.unitId === undefined) return build();
  const scope: ScopeConditions = { provinceId: actor.provinceId, unitId: actor.unitId };
  for (const item of menusForRoleTypes(profile, actor.roleTypes).flatMap((menu) => menu.items)) {
    if (item.transacts && actor.isMainAccount && !actor.canTransact) continue;
    const offered = item.actions.map((a) => a.id);
    const granted = actor.isMainAccount ? offered : offered.filter((a) => permissions[item.id]?.includes(a));
    if (granted.length > 0) can(granted, item.id, { ...scope });
  }
  return build();
}

/** The menu tree the account may open, each menu with the buttons it may press (GET …/procurement/menus). */
export function permittedMenus(profile: ProvinceProfile, actor: AbilityActor, ability: ProcurementAbility): Array<{ id: string; title: string; items: Array<{ id: string; title: string; actions: Array<{ id: string; title: string }> }> }> {
  const scope = { provinceId: actor.provinceId, unitId: actor.unitId };
  return menusForRoleTypes(profile, actor.roleTypes)
    .map((menu) => ({
      id: menu.id,
      title: menu.title,
      items: menu.items
        .map((item) => ({ id: item.id, title: item.title, actions: item.actions.filter((a) => ability.can(a.id, subjectOf(item.id, scope))).map((a) => ({ id: a.id, title: a.title })) }))
        .filter((item) => item.actions.length > 0),
    }))
    .filter((menu) => menu.items.length > 0);
}

/** A record of a menu's data, for checking a rule's conditions against it. */
export function subjectOf(menu: string, scope: ScopeConditions) {
  return subject(menu, { ...scope });
}

/**
 * The SQL condition of the rules for an action on a menu, over the table's scope columns: list
 * queries select only what the ability allows (never load-then-filter). Undefined when nothing is
 * allowed; the caller then answers an empty list or 403.
 */
export function scopeWhere(ability: ProcurementAbility, action: string, menu: string, columns: { provinceId: string; unitId: string }, firstParam: number): { sql: string; params: unknown[] } | undefined {
  const rules = ability.rulesFor(action, menu).filter((rule) => !rule.inverted);
  if (rules.length === 0) return undefined;
  const params: unknown[] = [];
  const branches = rules.map((rule) => {
    const conditions = (rule.conditions ?? {}) as Partial<ScopeConditions>;
    const parts: string[] = [];
    for (const [field, column] of Object.entries(columns) as Array<[keyof ScopeConditions, string]>) {
      const value = conditions[field];
      if (value === undefined) continue;
      params.push(value);
      parts.push(`${column} = $${String(firstParam + params.length - 1)}`);
    }
    return parts.length > 0 ? `(${parts.join(' AND ')})` : 'TRUE';
  });
  return { sql: `(${branches.join(' OR ')})`, params };
}
