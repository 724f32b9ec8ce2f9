import { inputId, schemaInput } from '#src/identity/pages/form-inputs.js';
import { safeNext, withNext } from '#src/identity/pages/page-support.js';
import type { Tenant } from '#src/tenancy/tenant.js';

const byPath = { basePath: '/jilin' } as Tenant;
const byHost = { basePath: '' } as Tenant;

describe('safeNext: where a login may send the person afterwards', () => {
  it.each(['/jilin/hall', '/jilin/qr/0b4c1d2e-1111-4222-8333-944455556666', '/jilin/support?x=1'])('keeps %s, a path of this province', (next) => {
    expect(safeNext(next, byPath)).toBe(next);
  });

  it.each([
    '//evil.example/jilin/hall',
    'https://evil.example/',
    '/\\evil.example',
    '/hunan/hall',
    '/jilin/../hunan/hall',
    '/jilin/%2e%2e/%2Fevil',
    '/jilin/%2E%2e/hunan/hall',
    '/jilinx/hall',
    'javascript:alert(1)',
    '/jilin/login',
    '/jilin/choose-unit',
    '',
    42,
  ])('drops %s', (next) => {
    expect(safeNext(next, byPath)).toBeUndefined();
  });

  it('on a province’s own host, any path of the site but the login round-trip', () => {
    expect(safeNext('/hall', byHost)).toBe('/hall');
    expect(safeNext('/logout', byHost)).toBeUndefined();
    expect(safeNext('//evil.example', byHost)).toBeUndefined();
  });

  it('carries next in a query', () => {
    expect(withNext('/jilin/login', '/jilin/hall')).toBe('/jilin/login?next=%2Fjilin%2Fhall');
    expect(withNext('/jilin/login?method=qr', '/jilin/hall')).toBe('/jilin/login?method=qr&next=%2Fjilin%2Fhall');
    expect(withNext('/jilin/login', undefined)).toBe('/jilin/login');
  });
});

describe('schemaInput', () => {
  it('never gives a password back, ties hint and error to the input, and checks a confirmation against its field', () => {
    const state = { values: { 'operator.confirmPassword': 'Secret#1', 'operator.name': '李四' }, errors: { 'operator.confirmPassword': '两次输入的密码不一致' } };
    const confirm = schemaInput('operator.confirmPassword', { type: 'string', title: '确认密码', format: 'password', minLength: 8, maxLength: 16, description: '请输入8-16位密码' }, true, state);
    expect(confirm).toMatchObject({ type: 'password', value: '', hint: undefined, error: '两次输入的密码不一致', describedBy: 'f-operator-confirmPassword-error', confirms: inputId('operator.password') });
    const name = schemaInput('operator.name', { type: 'string', title: '经办人姓名', maxLength: 50 }, true, state);
    expect(name).toMatchObject({ type: 'text', value: '李四', maxLength: 50, describedBy: undefined });
    const idType = schemaInput('operator.idType', { type: 'string', title: '证件类型', oneOf: [{ const: 'resident-id', title: '居民身份证' }] }, true, { values: { 'operator.idType': 'resident-id' }, errors: {} });
    expect(idType).toMatchObject({ control: 'select', options: [{ value: 'resident-id', label: '居民身份证', selected: true }] });
  });
});
