import tseslint from 'typescript-eslint';

/**
 * The layer rules of CONTRIBUTING.md ("Where things go"), enforced:
 *   api/        HTTP only: never activities/ or workers/, no SQL (it reads through stores/)
 *   workflows/  at runtime only domain/, sibling workflow files and the Temporal SDK (activities as types)
 *   activities/ Temporal activities on stores/ and providers/: no SQL of their own
 *   stores/     the only code with SQL over a capability's tables; no activities/, api/, providers/
 *   providers/  ports and adapters: import no capability (stores/, activities/, api/, workflows/)
 *   domain/     pure rules: nothing but domain/
 * Which store owns which table is checked by scripts/check-table-owners.ts (also `npm run lint`).
 */
const layer = (pattern, message) => ({ regex: pattern, message });
const restrictImports = (patterns, extra = {}) => ['error', { patterns, ...extra }];

// knex calls that name a table or run raw SQL: `db('table')`, `trx('table')`, `deps.db('table')`, `x.raw(…)`.
const SQL_SELECTORS = [
  { selector: "CallExpression[callee.type='Identifier'][callee.name=/^(db|trx|knex)$/][arguments.0.type='Literal']", message: 'SQL belongs in stores/<capability>/: call a store function.' },
  { selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='db'][arguments.0.type='Literal']", message: 'SQL belongs in stores/<capability>/: call a store function.' },
  { selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='raw']", message: 'SQL belongs in stores/<capability>/: call a store function.' },
];
const NO_SQL_IMPORTS = [layer('^(knex|pg)$', 'SQL belongs in stores/<capability>/.')];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', '.tools/', 'coverage/', 'web/', 'deploy/', 'bench/out/', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['api/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([
        layer('(^|/)(activities|workers)(/|$)', 'api/ never imports activities/ or workers/: read through stores/, start or signal workflows.'),
        ...NO_SQL_IMPORTS,
      ]),
      'no-restricted-syntax': ['error', ...SQL_SELECTORS],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([layer('(^|/)(api|workers)(/|$)', 'activities/ never import api/ or workers/.'), ...NO_SQL_IMPORTS]),
      'no-restricted-syntax': ['error', ...SQL_SELECTORS],
    },
  },
  {
    files: ['workers/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...SQL_SELECTORS] },
  },
  {
    files: ['stores/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([layer('(^|/)(activities|api|workers|workflows|providers)(/|$)', 'stores/ hold queries only: they import domain/ and platform/, never activities/, api/, workflows/ or providers/.')]),
    },
  },
  {
    files: ['providers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([layer('(^|/)(stores|activities|api|workers|workflows)(/|$)', 'providers/ import no capability: a port and its adapters depend on domain/ and platform/ only.')]),
    },
  },
  {
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([
        layer('(^|/)(platform|stores|activities|api|workers|workflows|providers)(/|$)', 'domain/ is pure: it imports only domain/.'),
        layer('^(node:)?(fs|net|http|https|child_process)$|^(knex|pg)$', 'domain/ does no I/O.'),
      ]),
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: forbid the usual sources of non-determinism.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Use workflow time (Date.now is replaced in the sandbox, but keep it explicit via helpers).' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Use uuid4() / workflow randomness, never Math.random directly.' },
      ],
      // At runtime a workflow imports only domain/, other workflow files and the SDK; activities come in as types.
      '@typescript-eslint/no-restricted-imports': restrictImports(
        [
          { regex: '^(?!\\.|@temporalio/(workflow|common)$)', message: 'workflows/ import at runtime only @temporalio/workflow, @temporalio/common, domain/ and workflow files.', allowTypeImports: true },
          { regex: '^\\.\\./\\.\\./(?!domain/)|^\\.\\./\\.\\./\\.\\./', message: 'workflows/ import at runtime only domain/ (activities as `import type`).', allowTypeImports: true },
        ],
      ),
    },
  },
  {
    // workflows/index.ts and other top-level workflow files sit one level higher.
    files: ['workflows/*.ts'],
    ignores: ['workflows/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([
        { regex: '^(?!\\.|@temporalio/(workflow|common)$)', message: 'workflows/ import at runtime only @temporalio/workflow, @temporalio/common, domain/ and workflow files.', allowTypeImports: true },
        { regex: '^\\.\\./(?!domain/)', message: 'workflows/ import at runtime only domain/ (activities as `import type`).', allowTypeImports: true },
      ]),
    },
  },
);
