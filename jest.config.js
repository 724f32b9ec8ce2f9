// ESM + swc: NestJS 12 ships ESM only (DESIGN.md, known pitfalls); type checking is `npm run typecheck`.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

// @fastify/static (CommonJS, used by Swagger UI) requires content-disposition 3, which is ESM: Node
// 20.19 loads that natively, Jest on Node 20 does not, so Jest gets it compiled to CommonJS.
const esmDependencyToCjs = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2023' }, module: { type: 'commonjs' } }];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc, '/node_modules/content-disposition/.+\\.js$': esmDependencyToCjs },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: {
    '^#src/(.*)\\.js$': '<rootDir>/src/$1',
    '^#test/(.*)\\.js$': '<rootDir>/test/$1',
    '^#migrations/(.*)\\.js$': '<rootDir>/migrations/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

// The migrated PGlite dump of the run (test/support/migrated-database.ts), and the services check.
const setup = { globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' };

/** @type {import('jest').Config} */
export default {
  // PGlite's cold start (2-3 s) runs in beforeAll; with every worker busy it can pass Jest's 5 s.
  testTimeout: 30_000,
  // Jest's default is one worker less than the cores, one on this 2-core machine: most of a test
  // file's time is one thread (PGlite, the app), so two files at once nearly halve the run.
  maxWorkers: '100%',
  // A worker that ran a file holds on to it (ESM module registries, PGlite's WebAssembly memory) and
  // slows down file after file (506 s for the e2e files in one worker, 266 s recycled, two workers).
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...common, ...setup, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, ...setup, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...common, ...setup, displayName: 'services', testMatch: ['<rootDir>/test/services/**/*.spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.spec.ts'] },
    { ...common, ...setup, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.spec.ts'] },
  ],
};
