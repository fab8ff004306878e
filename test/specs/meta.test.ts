import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APS_ROLES, APS_TARGETS } from '../../model/aps-oss/matrix.ts';
import { APS_OPERATIONS } from '../../model/aps-oss/types.ts';
import { CAPABILITIES } from '../../model/capabilities.ts';
import { VENDORS } from '../../model/vendors.ts';
import { PROPERTIES } from '../../suites/properties/index.ts';
import { loadRuleInventory, parseRulesMarkdown } from '../../suites/spec/inventory.ts';
import { META_FILES, renderMetaFiles } from '../../suites/spec/meta.ts';
import { MESSAGE_KEYWORDS } from '../../suites/spec/schema.ts';

const META = 'specs/_meta';
const rulesMarkdown = await readFile(`${META}/RULES.md`, 'utf8');

describe('the generated files of specs/_meta', () => {
  const expected = renderMetaFiles({ rulesMarkdown, properties: PROPERTIES });

  it.each(META_FILES)('%s is up to date (else run `npm run gen:meta`)', async (name) => {
    const committed = await readFile(`${META}/${name}`, 'utf8').catch(() => '(missing)');
    expect(committed, `specs/_meta/${name} is out of date: run \`npm run gen:meta\``).toBe(expected[name]);
  });

  it('rule.schema.json is a draft-07 schema that ajv compiles, with the closed sets of model/', async () => {
    const schema = JSON.parse(await readFile(`${META}/rule.schema.json`, 'utf8')) as Record<string, any>;
    const ajv = new Ajv({ strictTypes: false });
    ajv.addVocabulary([...MESSAGE_KEYWORDS]);
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema['properties'].vendor.enum).toEqual([...VENDORS]);
    expect(schema['definitions'].capability.enum).toEqual([...CAPABILITIES]);
  });
});

describe('the schema of the APS access matrix', () => {
  it('is a draft-07 schema that ajv compiles, with the roles, operations and targets of model/, and the matrix passes it', async () => {
    const schema = JSON.parse(await readFile(`${META}/aps-access-matrix.schema.json`, 'utf8')) as Record<string, any>;
    const ajv = new Ajv({ strictTypes: false, allErrors: true });
    ajv.addVocabulary([...MESSAGE_KEYWORDS]);
    const validate = ajv.compile(schema);
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    const entry = schema['definitions'].entry.properties;
    expect(entry.role.else.enum).toEqual([...APS_ROLES]);
    expect(entry.operation.else.enum).toEqual([...APS_OPERATIONS]);
    expect(entry.target.else.enum).toEqual([...APS_TARGETS]);
    expect(validate(parse(await readFile('specs/aps-oss/access-matrix.yaml', 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('the rule inventory', () => {
  it('rule-ids.yaml lists exactly the rows of RULES.md', async () => {
    const inventory = await loadRuleInventory('specs');
    expect([...inventory.values()]).toEqual(parseRulesMarkdown(rulesMarkdown));
  });

  it('has every id of RULES.md with the vendor of its section', () => {
    const entries = parseRulesMarkdown(rulesMarkdown);
    const count = (vendor: string) => entries.filter((e) => e.vendor === vendor).length;
    // Counted by hand in RULES.md: 16 APS rows, 20 ALI rows, 9 + 10 OBS rows, 5 X rows.
    expect([count('aps-oss'), count('alibaba-oss'), count('huawei-obs'), count('common')]).toEqual([16, 20, 19, 5]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('takes the statuses from the words of the status cell', () => {
    const entries = new Map(parseRulesMarkdown(rulesMarkdown).map((e) => [e.id, e]));
    expect(entries.get('APS-GRANT-LIMIT')).toEqual({
      id: 'APS-GRANT-LIMIT',
      vendor: 'aps-oss',
      statuses: ['doc', 'inferred'],
      statusText: 'doc (limit) / inferred (error)',
      text: 'At most 60 keys in `allow`; a 61st is rejected with a client error and no bucket is created.',
    });
    expect(entries.get('ALI-SCENARIOS')?.statuses).toEqual(['doc', 'ambiguous']);
    expect(entries.get('ALI-COND-MISSING-KEY')?.statuses).toEqual(['doc']);
    expect(entries.get('APS-READ-NOTHING-TO-READ')?.statuses).toEqual(['ambiguous']);
    expect(entries.get('X-DENY-MONOTONE')).toMatchObject({ vendor: 'common', statuses: ['inferred'] });
  });

  it('reads escaped pipes inside a cell, and refuses an unknown prefix or a cell without status', () => {
    const table = (row: string) => `| id | rule | status |\n|---|---|---|\n${row}\n`;
    expect(parseRulesMarkdown(table('| ALI-A | `a \\| b` holds | doc |'))).toEqual([
      { id: 'ALI-A', vendor: 'alibaba-oss', statuses: ['doc'], statusText: 'doc', text: '`a | b` holds' },
    ]);
    expect(() => parseRulesMarkdown(table('| GCS-A | a | doc |'))).toThrow('RULES.md:3: unknown rule id prefix in `GCS-A`');
    expect(() => parseRulesMarkdown(table('| ALI-A | a | stated |'))).toThrow('RULES.md:3: no status in `stated` of `ALI-A`');
  });
});
