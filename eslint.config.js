// Lint configuration: typescript-eslint's recommended rules plus the module boundaries of
// docs/architecture.md (adapters never import each other; the core never imports adapters).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const adapters = ['cli', 'server', 'mcp'];
const boundary = (from, forbidden) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        // Relative imports only: a package path such as @modelcontextprotocol/sdk/server/mcp.js
        // is not strata's src/server.
        patterns: forbidden.map((dir) => ({
          group: [`../${dir}/*`, `../../${dir}/*`, `../../../${dir}/*`],
          message: `src/${from} may not import src/${dir} (see docs/architecture.md).`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.strata/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  boundary('definitions', [
    'graph',
    'store',
    'provenance',
    'planner',
    'executor',
    'artifacts',
    'backfills',
    ...adapters,
  ]),
  boundary('graph', [
    'store',
    'provenance',
    'planner',
    'executor',
    'artifacts',
    'backfills',
    ...adapters,
  ]),
  boundary('store', [
    'graph',
    'provenance',
    'planner',
    'executor',
    'artifacts',
    'backfills',
    ...adapters,
  ]),
  boundary('artifacts', ['graph', 'provenance', 'planner', 'executor', 'backfills', ...adapters]),
  boundary('provenance', ['planner', 'executor', 'automation', 'plans', 'backfills', ...adapters]),
  boundary('planner', ['executor', 'automation', 'plans', 'backfills', ...adapters]),
  boundary('executor', ['automation', 'plans', 'backfills', ...adapters]),
  boundary('automation', ['plans', ...adapters]),
  boundary('plans', ['artifacts', 'automation', 'backfills', ...adapters]),
  // Backfills drive runs through the executor; the automation daemon drives them each tick.
  boundary('backfills', ['automation', 'plans', 'artifacts', 'access', ...adapters]),
  boundary('mcp', ['cli', 'server']),
  // OpenLineage reads the store (the events table is its outbox), the definitions (schemas) and
  // retention's event lookup; it never reaches into the engine, which never knows it exists.
  boundary('openlineage', [
    'provenance',
    'planner',
    'executor',
    'automation',
    'plans',
    'artifacts',
    'access',
    ...adapters,
  ]),
  boundary('access', [
    'graph',
    'provenance',
    'planner',
    'executor',
    'artifacts',
    'automation',
    ...adapters,
  ]),
  {
    // The UI talks to the server over HTTP only; it may import the API's types, nothing else.
    files: ['lineage/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**'],
              allowTypeImports: true,
              message: 'lineage/ talks to the server over HTTP only (type imports are fine).',
            },
          ],
        },
      ],
    },
  },
  ...adapters.map((a) =>
    boundary(
      a,
      adapters.filter((b) => b !== a),
    ),
  ),
);
