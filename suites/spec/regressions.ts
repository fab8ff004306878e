import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isScalar } from 'yaml';
import type { ValidateFunction } from 'ajv';
import type { Capability } from '../../model/capabilities.ts';
import { RELATIONS } from '../../model/case.ts';
import type { ExpectationCase, ExpectedRequest, Relation, RelationCase, ReportedCase } from '../../model/case.ts';
import type { ConformanceError } from '../../model/errors.ts';
import type { Expectation } from '../../model/outcome.ts';
import type { Rule } from '../../model/rule.ts';
import { VENDORS } from '../../model/vendors.ts';
import type { Vendor } from '../../model/vendors.ts';
import type { Request, World } from '../../model/world.ts';
import type { JsonSchema } from '../properties/types.ts';
import { didYouMean } from './schema-errors.ts';
import { ruleSchema } from './schema.ts';
import { checkYamlFile, compileSchema } from './yaml-file.ts';

/**
 * Regression cases: shrunk counterexamples kept as permanent cases of their rule, one YAML file
 * each, `specs/_regressions/<RULE-ID>/<name>.yaml` (written by `bucket-conformance replay --save`).
 * Every run checks a rule's regressions before its own checks, each as an example check named
 * `regression: <name>`. They are validated with the rule files, every problem located.
 */

/** The folder of `specs/` that holds the regression cases. */
export const REGRESSIONS_DIR = '_regressions';

/** What the check of a regression case is called in reports: `regression: <file name without .yaml>`. */
export const REGRESSION_CHECK_PREFIX = 'regression: ';

/** Where a regression case came from: the failing check, target, seed and path, and when it was saved. */
export interface RegressionOrigin {
  /** The check whose counterexample this is. */
  check?: string;
  target?: string;
  seed?: number;
  path?: string;
  /** fast-check's replay hint of a shrunk stateful sequence. */
  replayPath?: string;
  /** The report the counterexample was read from. */
  report?: string;
  /** Why the target failed it when it was saved. */
  reason?: string;
  /** The day it was saved, `YYYY-MM-DD`. */
  saved: string;
}

/** One regression case, as loaded. */
export interface Regression {
  ruleId: string;
  vendor: Vendor;
  /** The file name without `.yaml`; the check is reported as `regression: <name>`. */
  name: string;
  /** The file, relative to the specs folder: `_regressions/<RULE-ID>/<name>.yaml`. */
  file: string;
  origin: RegressionOrigin;
  /** Capabilities the case needs besides the rule's (those of the check it came from). */
  requires: Capability[];
  case: ReportedCase;
}

/** The name of the check a regression case is reported as. */
export function regressionCheckName(name: string): string {
  return `${REGRESSION_CHECK_PREFIX}${name}`;
}

/**
 * The JSON Schema (draft-07) of a regression file: the rule (id and vendor), where the case came
 * from, and the case itself, either an expectation case (a world and requests with their expected
 * outcomes, as an example check writes them) or a relation case (two worlds, the relation and the
 * requests). Worlds and requests have the shapes of the rule files' examples.
 */
export function regressionSchema(): JsonSchema {
  const rule = ruleSchema() as { properties: Record<string, JsonSchema>; definitions: Record<string, JsonSchema> };
  const vendorBranch = (vendor: Vendor): JsonSchema => ({
    if: { required: ['vendor'], properties: { vendor: { const: vendor } } },
    then: {
      properties: {
        world: { $ref: `#/definitions/${vendor}.world` },
        base: { $ref: `#/definitions/${vendor}.world` },
        variant: { $ref: `#/definitions/${vendor}.world` },
      },
      if: { required: ['relation'] },
      then: { properties: { requests: { items: { $ref: `#/definitions/${vendor}.request` } } } },
      else: { properties: { requests: { items: { properties: { request: { $ref: `#/definitions/${vendor}.request` } } } } } },
    },
  });
  const text = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated from model/ by `npm run gen:meta` (scripts/gen-meta.ts); do not edit.',
    title: 'bucket-conformance regression case',
    description: 'A shrunk counterexample kept as a permanent case of its rule: specs/_regressions/<RULE-ID>/<name>.yaml. See specs/_regressions/README.md.',
    type: 'object',
    additionalProperties: false,
    required: ['rule', 'vendor', 'origin', 'requests'],
    properties: {
      rule: { ...rule.properties['id'], description: 'the rule this case belongs to; the folder is named after it' },
      vendor: rule.properties['vendor'],
      origin: {
        description: 'where the case came from',
        type: 'object',
        additionalProperties: false,
        required: ['saved'],
        properties: {
          check: text('the check whose counterexample this is'),
          target: text('the target that failed it'),
          seed: { type: 'integer', description: 'the seed of the run' },
          path: { type: 'string', description: 'the fast-check path of the counterexample; quote it in YAML' },
          replayPath: text('fast-check\'s replay hint of a shrunk stateful sequence'),
          report: text('the report the counterexample was read from'),
          reason: text('why the target failed it when it was saved'),
          saved: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', patternErrorMessage: 'expected a date `YYYY-MM-DD`; quote it in YAML', description: 'the day it was saved' },
        },
      },
      requires: {
        description: 'capabilities the case needs besides the rule\'s (those of the check it came from); a target without them skips it',
        type: 'array',
        uniqueItems: true,
        items: { $ref: '#/definitions/capability' },
      },
      world: { type: 'object', description: 'an expectation case: what the target holds before the requests' },
      expectWorld: { $ref: '#/definitions/worldExpectation' },
      relation: { enum: RELATIONS, description: 'a relation case: how the decisions in `base` and `variant` must relate' },
      base: { type: 'object', description: 'a relation case: the first world' },
      variant: { type: 'object', description: 'a relation case: the second world' },
      requests: { type: 'array', description: 'the requests, in order; for an expectation case each with its expected outcome' },
    },
    allOf: [
      {
        if: { required: ['relation'] },
        then: {
          required: ['base', 'variant'],
          properties: {
            world: { not: {}, errorMessage: 'a relation case has `base` and `variant`, not `world`' },
            expectWorld: { not: {}, errorMessage: 'a relation case has no `expectWorld`' },
            requests: { minItems: 1, items: { type: 'object' } },
          },
        },
        else: {
          required: ['world'],
          properties: {
            base: { not: {}, errorMessage: 'only a relation case (with `relation`) has `base`' },
            variant: { not: {}, errorMessage: 'only a relation case (with `relation`) has `variant`' },
            requests: { items: { $ref: '#/definitions/exampleRequest' } },
          },
        },
      },
      ...VENDORS.map(vendorBranch),
    ],
    definitions: rule.definitions,
  };
}

let validator: ValidateFunction | undefined;

function validateRegression(): ValidateFunction {
  return (validator ??= compileSchema(regressionSchema()));
}

function expectationOf(value: unknown): Expectation {
  return typeof value === 'string' ? { decision: value as Expectation['decision'] } : { ...(value as Expectation) };
}

/** What `loadRegressions` checks the files against, and where it reports. */
export interface LoadRegressionsOptions {
  specsDir: string;
  /** How a path is shown in messages. */
  display: (path: string) => string;
  /** Every rule of the specs (all vendors): a regression must name one. */
  rules: readonly Pick<Rule, 'id' | 'vendor'>[];
  errors: ConformanceError[];
}

async function regressionFiles(dir: string): Promise<Array<{ path: string; folder: string | undefined; depth: number }>> {
  const found: Array<{ path: string; folder: string | undefined; depth: number }> = [];
  const walk = async (at: string, folders: string[]) => {
    let entries;
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path, [...folders, entry.name]);
      else if (/\.ya?ml$/.test(entry.name)) found.push({ path, folder: folders[0], depth: folders.length });
    }
  };
  await walk(dir, []);
  return found;
}

/**
 * Reads and checks every regression file under `<specsDir>/_regressions/` (a missing folder has
 * none): the schema, the folder named after the rule, and a rule of that id and vendor. Problems
 * are appended to `options.errors`; the cases that passed every check are returned, sorted by
 * vendor, rule and name.
 */
export async function loadRegressions(options: LoadRegressionsOptions): Promise<Regression[]> {
  const regressions: Regression[] = [];
  const known = new Set(options.rules.map((r) => `${r.vendor}\u0000${r.id}`));
  const ids = [...new Set(options.rules.map((r) => r.id))];
  for (const { path, folder, depth } of await regressionFiles(join(options.specsDir, REGRESSIONS_DIR))) {
    const relPath = path.slice(options.specsDir.length + 1).split('\\').join('/');
    const name = path.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
    const before = options.errors.length;
    const checked = checkYamlFile(await readFile(path, 'utf8'), options.display(path), validateRegression(), options.errors, (data) => {
      const rule = (data as { rule?: unknown } | null)?.rule;
      return typeof rule === 'string' ? rule : undefined;
    });
    if (depth !== 1) checked.report('CONFORMANCE_SPEC_WRONG_PLACE', `regression files belong in \`${REGRESSIONS_DIR}/<RULE-ID>/\`, one folder per rule`, []);
    if (!checked.valid) continue;
    const data = checked.data as Record<string, unknown>;
    const ruleId = data['rule'] as string;
    const vendor = data['vendor'] as Vendor;
    if (!known.has(`${vendor}\u0000${ruleId}`)) {
      const other = options.rules.find((r) => r.id === ruleId);
      const help = other ? `: the rule is of \`${other.vendor}\`` : didYouMean(ruleId, ids) || ', not a rule of the specs';
      checked.report('CONFORMANCE_SPEC_UNKNOWN_RULE_ID', `unknown rule \`${ruleId}\` of \`${vendor}\`${help}`, ['rule']);
    } else if (depth === 1 && folder !== ruleId) {
      checked.report('CONFORMANCE_SPEC_WRONG_PLACE', `a regression of \`${ruleId}\` in \`${REGRESSIONS_DIR}/${folder}/\`; move it to \`${REGRESSIONS_DIR}/${ruleId}/\``, ['rule']);
    }
    if (options.errors.length > before) continue;
    regressions.push({
      ruleId,
      vendor,
      name,
      file: relPath,
      origin: data['origin'] as RegressionOrigin,
      requires: (data['requires'] ?? []) as Capability[],
      case: caseOf(data, vendor),
    });
  }
  return regressions.sort((a, b) => (a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The case of a regression file that passed the checks. */
function caseOf(data: Record<string, unknown>, vendor: Vendor): ReportedCase {
  const world = (w: unknown) => ({ vendor, ...(w as object) }) as World;
  if (typeof data['relation'] === 'string') {
    return { kind: 'relation', relation: data['relation'] as Relation, base: world(data['base']), variant: world(data['variant']), requests: data['requests'] as Request[] } satisfies RelationCase;
  }
  const requests = (data['requests'] as Record<string, unknown>[]).map((r): ExpectedRequest => ({
    request: r['request'] as Request,
    expect: expectationOf(r['expect']),
    ...(typeof r['name'] === 'string' ? { labels: { request: r['name'] } } : {}),
  }));
  const c: ExpectationCase = { kind: 'expect', world: world(data['world']), requests };
  if (data['expectWorld'] !== undefined) c.expectWorld = expectationOf(data['expectWorld']);
  return c;
}

/** What a regression file is written from. */
export interface RegressionInput {
  ruleId: string;
  vendor: Vendor;
  origin: RegressionOrigin;
  requires?: readonly Capability[];
  case: ReportedCase;
}

function withoutVendor(world: World): Record<string, unknown> {
  const { vendor: _vendor, ...rest } = world as World & Record<string, unknown>;
  return rest;
}

/** The text of a regression file (YAML), in the shape `loadRegressions` reads. */
export function renderRegression(input: RegressionInput): string {
  const doc: Record<string, unknown> = { rule: input.ruleId, vendor: input.vendor, origin: input.origin };
  if (input.requires?.length) doc['requires'] = [...input.requires];
  const c = input.case;
  if (c.kind === 'relation') {
    Object.assign(doc, { relation: c.relation, base: withoutVendor(c.base), variant: withoutVendor(c.variant), requests: c.requests });
  } else {
    doc['world'] = withoutVendor(c.world);
    if (c.expectWorld) doc['expectWorld'] = c.expectWorld;
    doc['requests'] = c.requests.map((r) => {
      const name = r.name ?? r.labels?.['request'];
      // `expect: deny` when only the decision is asserted, as the rule files write it.
      const expect = Object.keys(r.expect).length === 1 ? r.expect.decision : r.expect;
      return { ...(name ? { name } : {}), request: r.request, expect };
    });
  }
  const yaml = new Document(doc, { aliasDuplicateObjects: false });
  // Quoted, so that no YAML 1.1 reader takes a path for a base-60 number or the day for a timestamp.
  for (const key of ['path', 'saved']) {
    const node = yaml.getIn(['origin', key], true);
    if (isScalar(node)) node.type = 'QUOTE_DOUBLE';
  }
  const header = `# A regression case of ${input.ruleId}: a shrunk counterexample kept as a permanent case (specs/_regressions/README.md).\n`;
  return header + yaml.toString({ lineWidth: 0 });
}

/**
 * The case as a regression file keeps it, as text: what two counterexamples must share to be the
 * same regression (labels and request names are left out).
 */
export function caseKey(c: ReportedCase): string {
  // Keys sorted, so that the order a generator or a YAML file wrote them in does not matter.
  const sorted = (_key: string, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value;
  if (c.kind === 'relation') return JSON.stringify({ relation: c.relation, base: c.base, variant: c.variant, requests: c.requests }, sorted);
  return JSON.stringify({ world: c.world, expectWorld: c.expectWorld, requests: c.requests.map((r) => ({ request: r.request, expect: r.expect })) }, sorted);
}

/**
 * A file name for a regression case: the first words of the check's name in kebab case (at most
 * 48 characters) and
 * 8 hex digits of a hash of the case, so that two counterexamples of one check do not collide.
 */
export function regressionFileName(check: string, c: ReportedCase): string {
  const caseText = caseKey(c);
  let h = 0x811c9dc5;
  for (let i = 0; i < caseText.length; i++) {
    h ^= caseText.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let slug = '';
  for (const word of check.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) {
    if (slug && slug.length + word.length + 1 > 48) break;
    slug = slug ? `${slug}-${word}` : word.slice(0, 48);
  }
  return `${slug || 'case'}-${h.toString(16).padStart(8, '0')}`;
}
