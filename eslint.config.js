// Type-aware lint at zero warnings from the first commit (STYLE.md): `npm run lint`.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', 'test-artifacts/', 'bench/results/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Nest modules are classes with only decorators and static forRoot().
      '@typescript-eslint/no-extraneous-class': 'off',
      // `void promise` marks a promise handled on purpose (listeners, Fastify replies).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Listeners and callbacks may be async when they handle their own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Template literals print numbers and booleans fine; objects are still caught.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `T[]` for simple types, `Array<{ … }>` where brackets would bury the element type.
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
      // `x!` and `x as T` are both assertions; neither is preferred.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      // Interfaces and type aliases each have their place (unions, mapped types).
      '@typescript-eslint/consistent-type-definitions': 'off',
      // Logs go through Nest's Logger / pino; the CLI and scripts write to process.stdout explicitly.
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      // expect(obj.method).toHaveBeenCalled() and jest.spyOn pass methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JS config files: outside tsconfig, so linted without type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
