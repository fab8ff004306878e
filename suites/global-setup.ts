import type { TestProject } from 'vitest/node';
import { loadSpecs } from './spec/load.ts';
import { PROPERTIES } from './properties/index.ts';
import { readSettings } from './settings.ts';
import type {} from './harness.ts';

/**
 * Runs once before any conformance test: fixes the run's settings (and its seed, printed so
 * that any run can be replayed) and validates every spec file and table (the APS access
 * matrix included), so that a bad spec stops the run with its location before a single test runs.
 */
export default async function setup(project: TestProject): Promise<void> {
  const settings = readSettings();
  await loadSpecs({ specsDir: settings.specsDir, properties: PROPERTIES });
  project.provide('conformance', settings);
  if (!process.env['BUCKET_CONFORMANCE_QUIET']) {
    process.stdout.write(`conformance: target ${settings.target}, seed ${settings.seed}, ${settings.numRuns} runs per property\n`);
  }
}
