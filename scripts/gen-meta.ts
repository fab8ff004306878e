/**
 * Writes the generated vocabularies of specs/_meta/ (rule.schema.json, aps-access-matrix.schema.json,
 * rule-ids.yaml, capabilities.yaml, properties.yaml). With `--check`, writes nothing and fails
 * when one is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROPERTIES } from '../suites/properties/index.ts';
import { META_FILES, renderMetaFiles } from '../suites/spec/meta.ts';

const metaDir = join(import.meta.dirname, '..', 'specs', '_meta');
const check = process.argv.includes('--check');
const files = renderMetaFiles({ rulesMarkdown: await readFile(join(metaDir, 'RULES.md'), 'utf8'), properties: PROPERTIES });
const stale: string[] = [];
for (const name of META_FILES) {
  const path = join(metaDir, name);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === files[name]) continue;
  stale.push(name);
  if (!check) await writeFile(path, files[name]);
}
if (check && stale.length > 0) {
  console.error(`out of date in specs/_meta: ${stale.join(', ')}; run \`npm run gen:meta\``);
  process.exitCode = 1;
} else {
  console.log(stale.length === 0 ? 'specs/_meta is up to date' : `wrote specs/_meta/${stale.join(', specs/_meta/')}`);
}
