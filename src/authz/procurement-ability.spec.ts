import { compileProfileDir } from '#src/profiles/profile-files.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import { buildProcurementAbility, permittedMenus, scopeWhere, subjectOf, type AbilityActor } from '#src/authz/procurement-ability.js';

let profiles: Map<string, ProvinceProfile>;

beforeAll(async () => {
  const { profiles: compiled } = await compileProfileDir('provinces');
  profiles = new Map(compiled.map((c) => [c.profile.id, c.profile]));
});

const profile = (id: string): ProvinceProfile => {
  const found = profiles.get(id);
  if (!found) throw new Error(id);
  return found;
};

const actor = (overrides: Partial<AbilityActor> = {}): AbilityActor => ({ provinceId: 'jilin', unitId: 'unit-a', roleTypes: ['manufacturer'], isMainAccount: false, canTransact: true, ...overrides });

describe('procurement ability', () => {
  it('N-6: after registration only the main account holds permissions: every button of every menu of its role type', () => {
    const main = buildProcurementAbility(profile('hunan'), actor({ provinceId: 'hunan', isMainAccount: true }), {});
    expect(main.can('assign', subjectOf('account-roles', { provinceId: 'hunan', unitId: 'unit-a' }))).toBe(true);
    expect(main.can('match', subjectOf('product-matching', { provinceId: 'hunan', unitId: 'unit-a' }))).toBe(true);
    const operator = buildProcurementAbility(profile('hunan'), actor({ provinceId: 'hunan' }), {});
    expect(operator.can('query', 'account-roles')).toBe(false);
    expect(permittedMenus(profile('hunan'), actor({ provinceId: 'hunan' }), operator)).toEqual([]);
  });

  it('JL-14: a role grants exactly its buttons, on its own unit and province only', () => {
    const ability = buildProcurementAbility(profile('jilin'), actor(), { 'account-roles': ['query'], 'product-matching': ['query', 'match'] });
    expect(ability.can('query', subjectOf('account-roles', { provinceId: 'jilin', unitId: 'unit-a' }))).toBe(true);
    expect(ability.can('add', subjectOf('account-roles', { provinceId: 'jilin', unitId: 'unit-a' }))).toBe(false);
    expect(ability.can('match', subjectOf('product-matching', { provinceId: 'jilin', unitId: 'unit-b' }))).toBe(false);
    expect(ability.can('match', subjectOf('product-matching', { provinceId: 'hunan', unitId: 'unit-a' }))).toBe(false);
    expect(permittedMenus(profile('jilin'), actor(), ability).map((m) => m.items.map((i) => [i.id, i.actions.map((a) => a.id)]))).toEqual([[['account-roles', ['query']]], [['product-matching', ['query', 'match']]]]);
  });

  it('N-3: a role type’s menus are for that role type only — a distributor gets no 产品对码 even if a role lists it', () => {
    const ability = buildProcurementAbility(profile('jilin'), actor({ roleTypes: ['distributor'] }), { 'product-matching': ['match'] });
    expect(ability.can('match', 'product-matching')).toBe(false);
    expect(buildProcurementAbility(profile('jilin'), actor({ roleTypes: ['distributor'], isMainAccount: true }), {}).can('query', 'product-matching')).toBe(false);
  });

  it('JL-8: a Jilin main account manages (roles, accounts) but gets no business menu', () => {
    const main = buildProcurementAbility(profile('jilin'), actor({ isMainAccount: true, canTransact: false }), {});
    expect(main.can('assign', 'account-roles')).toBe(true);
    expect(main.can('match', 'product-matching')).toBe(false);
  });

  it('AH-7: an account of no hall unit has no rules at all', () => {
    expect(buildProcurementAbility(profile('anhui'), actor({ provinceId: 'anhui', unitId: undefined, roleTypes: ['medical-institution'] }), { 'account-roles': ['query'] }).rules).toEqual([]);
  });

  it('list queries get the rules’ scope as SQL, and nothing when nothing is allowed', () => {
    const ability = buildProcurementAbility(profile('jilin'), actor(), { 'account-roles': ['query'] });
    expect(scopeWhere(ability, 'query', 'account-roles', { provinceId: 'r.province_id', unitId: 'r.unit_id' }, 3)).toEqual({ sql: '((r.province_id = $3 AND r.unit_id = $4))', params: ['jilin', 'unit-a'] });
    expect(scopeWhere(ability, 'delete', 'account-roles', { provinceId: 'r.province_id', unitId: 'r.unit_id' }, 1)).toBeUndefined();
  });
});
