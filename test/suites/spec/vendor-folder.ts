import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect } from 'vitest';
import { ConformanceErrors } from '../../../model/errors.ts';
import type { Rule } from '../../../model/rule.ts';
import { loadSpecs } from '../../../suites/spec/load.ts';
import { FAKE_PROPERTIES } from './fake-properties.ts';

/**
 * Loading one rule file in a vendor folder of a throw-away specs tree (with the real `_meta` and
 * `_seeds`), and the problems the loader reports for it. Call at the top of a test file: the
 * trees are removed after its tests.
 */
export function vendorFolder(vendor: string): { load(name: string, text: string): Promise<Rule[]>; problems(name: string, text: string): Promise<string[]> } {
  const real = { metaDir: resolve('specs/_meta'), seedsDir: resolve('specs/_seeds') };
  const roots: string[] = [];
  afterAll(async () => {
    await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  });
  async function load(name: string, text: string): Promise<Rule[]> {
    const root = await mkdtemp(join(tmpdir(), `${vendor}-rules-`));
    roots.push(root);
    await mkdir(join(root, 'specs', vendor), { recursive: true });
    await writeFile(join(root, 'specs', vendor, name), text);
    return loadSpecs({ specsDir: join(root, 'specs'), properties: FAKE_PROPERTIES, ...real });
  }
  async function problems(name: string, text: string): Promise<string[]> {
    const error: unknown = await load(name, text).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceErrors);
    return (error as ConformanceErrors).errors.map((e) => `${e.code} ${e.message}`);
  }
  return { load, problems };
}
