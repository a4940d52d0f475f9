// Lint enforces the code map of the README: which folder may import what.
import tseslint from 'typescript-eslint';

const IO_MODULES = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'fs', 'net', 'http', 'https', 'undici', 'ioredis', 'express', 'pino', 'http-proxy-middleware'];

/** Libraries that only one folder may import, and why. */
const owned = {
  express: { owner: 'src/http/ (and the simulator)', why: 'the web framework stays in the HTTP adapter' },
  ioredis: { owner: 'src/state/', why: 'shared state has one home' },
  undici: { owner: 'src/genesys/upstream-client.ts', why: 'one module opens connections to Genesys' },
  'http-proxy-middleware': { owner: 'bench/', why: 'no row relays an answer unread' },
};

function restrictedPaths(allowed) {
  return Object.entries(owned)
    .filter(([name]) => !allowed.includes(name))
    .map(([name, { owner, why }]) => ({ name, message: `${name} is imported only in ${owner}: ${why}.` }));
}

function boundary(files, allowed, extra = {}) {
  return {
    files,
    ...(extra.ignores ? { ignores: extra.ignores } : {}),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [...restrictedPaths(allowed), ...(extra.paths ?? [])], ...(extra.patterns ? { patterns: extra.patterns } : {}) },
      ],
    },
  };
}

const SCOPING_IO_MESSAGE = 'src/scoping/ is pure: no I/O, no state, no framework (pass what it needs as data).';

export default tseslint.config(
  { ignores: ['dist/**', 'bench/out/**', 'coverage/**', 'node_modules/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
    },
  },
  // Each file falls in exactly one zone (the ignores keep the zones disjoint).
  boundary(['src/genesys/upstream-client.ts'], ['undici']),
  boundary(['src/state/**/*.ts'], ['ioredis']),
  boundary(['src/http/**/*.ts', 'src/simulator/**/*.ts'], ['express']),
  boundary(['src/scoping/**/*.ts'], [], {
    paths: IO_MODULES.filter((name) => !(name in owned)).map((name) => ({ name, message: SCOPING_IO_MESSAGE })),
    patterns: [
      {
        group: ['**/state/**', '**/genesys/**', '**/http/**', '**/executor/**', '**/server/**', '**/logging/**', '**/metrics/**', '**/config/**', '**/tenants/**', '**/wiring.js', '**/gateway.js'],
        message: SCOPING_IO_MESSAGE,
      },
    ],
  }),
  boundary(['src/**/*.ts'], [], {
    ignores: ['src/genesys/upstream-client.ts', 'src/state/**', 'src/http/**', 'src/simulator/**', 'src/scoping/**'],
  }),
);
