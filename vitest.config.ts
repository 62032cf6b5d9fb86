import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // One graphql module for everyone: Node resolves `graphql` to its CommonJS build (for Pothos,
  // Yoga), while Vite would pick index.mjs for test files, and two copies refuse each other's types.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/secret-scan-global.ts', 'test/support/build-gateway-global.ts', 'test/support/pglite-template-global.ts'],
    setupFiles: ['test/support/secret-scan.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
