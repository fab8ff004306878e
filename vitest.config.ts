import { defineConfig } from 'vitest/config';

/**
 * Two projects: the project's own tests (`test/**\/*.test.ts`) and the conformance suites
 * (`suites/**\/*.conformance.ts`), which run every rule against the target named by
 * BUCKET_CONFORMANCE_TARGET (the in-process reference evaluator by default).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['suites/**/*.conformance.ts'],
          globalSetup: ['suites/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
