import { stringify } from 'yaml';
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS } from '../../model/capabilities.ts';
import type { PropertyDefinition } from '../properties/types.ts';
import { parseRulesMarkdown } from './inventory.ts';
import { regressionSchema } from './regressions.ts';
import { apsMatrixSchema, ruleSchema } from './schema.ts';

/** The generated files of `specs/_meta/`, in the order `npm run gen:meta` writes them. */
export const META_FILES = ['rule.schema.json', 'aps-access-matrix.schema.json', 'regression.schema.json', 'rule-ids.yaml', 'capabilities.yaml', 'properties.yaml'] as const;
/** One generated file of `specs/_meta/`. */
export type MetaFile = (typeof META_FILES)[number];

const yamlOptions = { lineWidth: 100, aliasDuplicateObjects: false } as const;

function header(from: string): string {
  return `# Generated from ${from} by \`npm run gen:meta\` (scripts/gen-meta.ts); do not edit.\n`;
}

/**
 * The contents of every generated file of `specs/_meta/`: the schemas of rule files, of the APS
 * access matrix and of regression files, and the capabilities from model/; the rule inventory
 * from RULES.md; the properties from the registry. Pure, so that a test can compare it with the committed files.
 */
export function renderMetaFiles(input: { rulesMarkdown: string; properties: ReadonlyMap<string, PropertyDefinition> }): Record<MetaFile, string> {
  const capabilities = CAPABILITIES.map((name) => ({ name, description: CAPABILITY_DESCRIPTIONS[name] }));
  const properties = [...input.properties.values()]
    .sort((a, b) => (a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => ({ name: p.name, vendor: p.vendor, description: p.description, params: p.params, labels: p.labels }));
  return {
    'rule.schema.json': `${JSON.stringify(ruleSchema(), null, 2)}\n`,
    'aps-access-matrix.schema.json': `${JSON.stringify(apsMatrixSchema(), null, 2)}\n`,
    'regression.schema.json': `${JSON.stringify(regressionSchema(), null, 2)}\n`,
    'rule-ids.yaml': header('specs/_meta/RULES.md') + stringify(parseRulesMarkdown(input.rulesMarkdown), yamlOptions),
    'capabilities.yaml': header('model/capabilities.ts') + stringify(capabilities, yamlOptions),
    'properties.yaml': header('suites/properties/index.ts') + (properties.length === 0 ? '[]\n' : stringify(properties, yamlOptions)),
  };
}
