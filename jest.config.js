// Tests run as native ESM (jose 6 is ESM-only); @swc/jest only strips types,
// `npm run typecheck` does the type checking.
const swc = ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  // One throwaway redis-server for the whole run, on a free loopback port (GDP_TEST_REDIS_URL).
  globalSetup: '<rootDir>/test/support/redis-global-setup.js',
  globalTeardown: '<rootDir>/test/support/redis-global-teardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    // The soak takes a minute: only `npm run test:soak` runs it (npm test runs a five-second one).
    ...(process.env.GDP_SOAK === '1' ? [{ ...common, displayName: 'soak', testMatch: ['<rootDir>/test/soak/**/*.test.ts'] }] : []),
  ],
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
