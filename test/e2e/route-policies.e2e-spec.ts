/**
 * Every route is either guarded or explicitly marked @Public(): a new endpoint cannot ship
 * unprotected by accident (the Twenty-style lint rule, as a test over the running app). And every
 * path the app routes itself is a reserved word that no province id may take.
 */
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { IS_PUBLIC } from '#src/authz/public.decorator.js';
import { RESERVED_PROVINCE_IDS } from '#src/profiles/reserved-province-ids.js';
import { useTestApp } from '#test/support/test-app.js';


const suite = useTestApp();

type Constructor = new (...args: never[]) => unknown;

interface Route {
  name: string;
  controller: Constructor;
  handler: () => unknown;
  paths: string[];
}

/** Nest stores a route path as a string or a list of strings. */
function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Every handler of every controller the running app registered, with its full paths. */
function routes(): Route[] {
  const scanner = new MetadataScanner();
  const found: Route[] = [];
  for (const wrapper of [...suite.testApp.app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()])) {
    const controller = wrapper.metatype as Constructor | null;
    if (!controller) continue;
    for (const name of scanner.getAllMethodNames(controller.prototype as object)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as () => unknown;
      const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (methodPaths === undefined) continue;
      const paths = asList(Reflect.getMetadata(PATH_METADATA, controller)).flatMap((base) => asList(methodPaths).map((path) => `${base}/${path}`));
      found.push({ name: `${controller.name}.${name}`, controller, handler, paths });
    }
  }
  return found;
}

describe('route policies', () => {
  it('every controller route has a guard or @Public()', () => {
    const reflector = suite.testApp.app.get(Reflector);
    const all = routes();
    const unprotected = all.filter(({ controller, handler }) => {
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller]) === true;
      const guarded = [handler, controller].some((target) => ((Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? []).length > 0);
      return !isPublic && !guarded;
    });
    expect(all.length).toBeGreaterThan(5);
    expect(unprotected.map((r) => r.name)).toEqual([]);
  });

  it('every first path segment the app routes is reserved, so no province id can be shadowed by it', () => {
    const firstSegments = new Set(
      routes()
        .flatMap((r) => r.paths.map((path) => path.split('/').find(Boolean) ?? ''))
        // A parameter (`:province`) is the province itself; `brands.css` cannot be an id (no dots).
        .filter((first) => /^[a-z0-9-]+$/.test(first)),
    );
    expect(firstSegments.size).toBeGreaterThan(3);
    expect([...firstSegments].filter((s) => !RESERVED_PROVINCE_IDS.has(s))).toEqual([]);
  });
});
