/**
 * Every route is either guarded or explicitly marked @Public(): a new endpoint cannot ship
 * unprotected by accident (the Twenty-style lint rule, as a test over the running app).
 */
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { IS_PUBLIC } from '#src/authz/public.decorator.js';
import { startTestApp, type TestApp } from '#test/support/test-app.js';

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp();
});

afterAll(async () => {
  await testApp.close();
});

describe('route policies', () => {
  it('every controller route has a guard or @Public()', () => {
    const modules = testApp.app.get(ModulesContainer);
    const scanner = new MetadataScanner();
    const reflector = testApp.app.get(Reflector);
    const routes: string[] = [];
    const unprotected: string[] = [];
    for (const wrapper of [...modules.values()].flatMap((m) => [...m.controllers.values()])) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      for (const name of scanner.getAllMethodNames(type.prototype as object)) {
        const handler = (type.prototype as Record<string, unknown>)[name] as () => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const route = `${type.name}.${name}`;
        routes.push(route);
        const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, type]) === true;
        const guards = [...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, type) as unknown[] | undefined) ?? [])];
        if (!isPublic && guards.length === 0) unprotected.push(route);
      }
    }
    expect(routes.length).toBeGreaterThan(5);
    expect(unprotected).toEqual([]);
  });
});
