import { defineConfig } from 'vitest/config';

/**
 * Three projects: the project's own tests (`test/**\/*.test.ts`); the conformance suites
 * (`suites/**\/*.conformance.ts`), which run every rule against the target named by
 * BUCKET_CONFORMANCE_TARGET (the in-process reference evaluator by default); and the same suites
 * through the live HTTP adapter against the three emulators, started on loopback by
 * `test/live/emulator-global-setup.ts`.
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
      {
        test: {
          name: 'emulator',
          include: ['suites/**/*.conformance.ts'],
          globalSetup: ['test/live/emulator-global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
