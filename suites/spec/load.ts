import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Capability } from '../../model/capabilities.ts';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { ConformanceError, ConformanceErrors } from '../../model/errors.ts';
import type { ErrorCode } from '../../model/errors.ts';
import type { Expectation } from '../../model/outcome.ts';
import { parentRuleId, RULE_STATUSES } from '../../model/rule.ts';
import type { Check, ExampleRequest, Rule, SpecTables } from '../../model/rule.ts';
import { RULE_SCOPES, VENDORS } from '../../model/vendors.ts';
import type { Vendor } from '../../model/vendors.ts';
import type { World } from '../../model/world.ts';
import type { PropertyDefinition } from '../properties/types.ts';
import { citationProblem } from './citation.ts';
import type { Seeds } from './citation.ts';
import { allowedStatuses, loadRuleInventory, statusMismatchMessage } from './inventory.ts';
import type { RuleInventoryEntry } from './inventory.ts';
import { locate, positionAt, sourceText } from './locate.ts';
import type { PathPart, PathSegment } from './locate.ts';
import { APS_MATRIX_FILE, APS_MATRIX_PROPERTIES, checkMatrixUses, loadApsMatrix } from './matrix.ts';
import type { RuleDocument } from './matrix.ts';
import { loadRegressions } from './regressions.ts';
import type { Regression } from './regressions.ts';
import { didYouMean, listOf, schemaProblems } from './schema-errors.ts';
import { MESSAGE_KEYWORDS, RULE_ID_PATTERN, ruleSchema } from './schema.ts';

/** What `loadSpecs` reads, and which rules it returns. */
export interface LoadSpecsOptions {
  /** The specs folder: vendor folders of rule files, `_meta/` and `_seeds/` (folders starting with `_` hold no rules). */
  specsDir: string;
  /** The properties that property checks may name, by name. */
  properties: ReadonlyMap<string, PropertyDefinition>;
  /** Return only the rules of these vendors; every file is still validated. */
  vendors?: readonly Vendor[] | undefined;
  /** Where `rule-ids.yaml` is; default `<specsDir>/_meta`. */
  metaDir?: string;
  /** Where the seeds that rules quote are; default `<specsDir>/_seeds`. */
  seedsDir?: string;
}

let ruleValidator: ValidateFunction | undefined;

function validateRuleSchema(data: unknown): readonly ErrorObject[] {
  if (!ruleValidator) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
    ajv.addVocabulary([...MESSAGE_KEYWORDS]);
    ruleValidator = ajv.compile(ruleSchema());
  }
  return ruleValidator(data) ? [] : (ruleValidator.errors ?? []);
}

// Params schemas come from property definitions in code: lenient about their keywords, and
// their defaults are filled in, so that a property receives complete params.
const paramsAjv = new Ajv({ allErrors: true, verbose: true, strict: false, useDefaults: true });
const paramsValidators = new WeakMap<object, ValidateFunction>();

function validateParams(property: PropertyDefinition, params: unknown): readonly ErrorObject[] {
  let validate = paramsValidators.get(property.params);
  if (!validate) {
    validate = paramsAjv.compile(property.params);
    paramsValidators.set(property.params, validate);
  }
  return validate(params) ? [] : (validate.errors ?? []);
}

const RULE_ID = new RegExp(RULE_ID_PATTERN);

async function ruleFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...await ruleFiles(path));
    else if (/\.ya?ml$/.test(entry.name)) found.push(path);
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectationOf(value: unknown): Expectation {
  return typeof value === 'string' ? { decision: value as Expectation['decision'] } : { ...(value as Expectation) };
}

function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents as { value?: unknown; items?: unknown } | null;
  return contents === null || (contents.items === undefined && contents.value === null && doc.errors.length === 0);
}

/** Where an id was first defined, to point at both places of a duplicate. */
interface Definition {
  where: string;
}

/** Everything `specs/` holds for a run: the rules and the tables. */
export interface SpecSet {
  /** The rules, sorted by vendor and id (only those of `options.vendors` when given). */
  rules: Rule[];
  tables: SpecTables;
  /** The regression cases of `_regressions/` (of the returned rules only), sorted by vendor, rule and name. */
  regressions: Regression[];
}

/**
 * Reads, validates and returns every rule under `specsDir`, sorted by vendor and id. Every file is
 * checked, the tables (the APS access matrix) included, and all problems are thrown together as
 * one ConformanceErrors, each with its code, `file:line:col` and rule id, before any test runs.
 */
export async function loadSpecs(options: LoadSpecsOptions): Promise<Rule[]> {
  return (await loadSpecSet(options)).rules;
}

/**
 * The tables of `specsDir` (the APS access matrix, `aps-oss/access-matrix.yaml`), after the same
 * validation as `loadSpecs`: every rule file and table is checked, and any problem is thrown.
 */
export async function loadSpecTables(options: LoadSpecsOptions): Promise<SpecTables> {
  return (await loadSpecSet({ ...options, vendors: undefined })).tables;
}

/** `loadSpecs` and `loadSpecTables` in one pass: the rules and the tables of `specsDir`. */
export async function loadSpecSet(options: LoadSpecsOptions): Promise<SpecSet> {
  const specsDir = resolve(options.specsDir);
  const displayRoot = basename(specsDir) === 'specs' ? dirname(specsDir) : process.cwd();
  const display = (path: string) => relative(displayRoot, path).split(sep).join('/');
  const seedsDir = resolve(options.seedsDir ?? join(specsDir, '_seeds'));
  const inventory = await loadRuleInventory(specsDir, options.metaDir === undefined ? undefined : resolve(options.metaDir));

  let files: string[];
  try {
    files = await ruleFiles(specsDir);
  } catch (error) {
    throw new ConformanceErrors([new ConformanceError('CONFORMANCE_SPEC_NO_RULES', `cannot read the specs folder \`${display(specsDir)}\``, { cause: error })]);
  }
  if (files.length === 0) {
    throw new ConformanceErrors([new ConformanceError('CONFORMANCE_SPEC_NO_RULES', `no rule files (\`*.yaml\`, \`*.yml\`) under \`${display(specsDir)}\``)]);
  }

  let seedNames: string[] = [];
  try {
    seedNames = (await readdir(seedsDir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    // No seeds folder: every citation is reported as a missing seed.
  }
  const seeds: Seeds = { path: seedsDir, dir: display(seedsDir), names: new Set(seedNames), texts: new Map() };

  const errors: ConformanceError[] = [];
  const rules: Rule[] = [];
  const definitions = new Map<string, Definition>();
  const documents = new Map<string, RuleDocument>();
  const matrixPath = join(specsDir, APS_MATRIX_FILE);
  for (const file of files) {
    if (file === matrixPath) continue;
    const checker = new FileChecker(relative(specsDir, file).split(sep).join('/'), display(file), {
      inventory, properties: options.properties, seeds, definitions, documents, errors,
    });
    rules.push(...await checker.check(await readFile(file, 'utf8')));
  }

  // The tables, checked against the rule documents found above.
  const tables: SpecTables = {};
  if (files.includes(matrixPath)) {
    const before = errors.length;
    const matrix = await loadApsMatrix({ path: matrixPath, display: display(matrixPath), relPath: APS_MATRIX_FILE }, { inventory, seeds, documents, errors });
    if (matrix) tables.apsMatrix = matrix;
    checkMatrixUses(matrix, errors.length > before ? 'invalid' : 'valid', documents, options.properties);
  } else {
    checkMatrixUses(undefined, 'absent', documents, options.properties);
  }

  // The regression cases, each naming a rule defined above (even one with problems of its own).
  const defined = [...definitions.keys()].map((key) => {
    const [vendor, id] = key.split('\u0000') as [Vendor, string];
    return { vendor, id };
  });
  const regressions = await loadRegressions({ specsDir, display, rules: defined, errors });

  if (errors.length > 0) {
    const at = (e: ConformanceError) => e.location ?? { file: '', line: 0, column: 0 };
    const sorted = errors.map((e, i) => ({ e, i })).sort((a, b) => {
      const x = at(a.e);
      const y = at(b.e);
      return x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line || x.column - y.column || a.i - b.i;
    });
    throw new ConformanceErrors(sorted.map((s) => s.e));
  }

  const wanted = options.vendors;
  const selected = wanted ? rules.filter((r) => wanted.includes(r.vendor)) : rules;
  if (selected.length === 0) {
    throw new ConformanceErrors([new ConformanceError('CONFORMANCE_SPEC_NO_RULES', `no rules for ${listOf(wanted ?? [], ' or ')} under \`${display(specsDir)}\``)]);
  }
  return {
    rules: selected.sort((a, b) => (a.vendor < b.vendor ? -1 : a.vendor > b.vendor ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    tables,
    regressions: wanted ? regressions.filter((r) => wanted.includes(r.vendor)) : regressions,
  };
}

interface CheckerContext {
  inventory: ReadonlyMap<string, RuleInventoryEntry>;
  properties: ReadonlyMap<string, PropertyDefinition>;
  seeds: Seeds;
  definitions: Map<string, Definition>;
  /** The rule documents of `aps-oss/`, which the access matrix refers to. */
  documents: Map<string, RuleDocument>;
  errors: ConformanceError[];
}

/** One document being checked: its rule id, and how to point at and quote its nodes. */
interface DocumentScope {
  ruleId: string | undefined;
  /** The offset of the node at `path` (its key for `part: 'key'`), or of the deepest node found. */
  at(path: readonly PathSegment[], part?: PathPart): number;
  /** The source text of the scalar at `path`, for messages. */
  read(path: readonly PathSegment[]): string | undefined;
  /** Records a problem at `path`. */
  report(code: ErrorCode, message: string, path: readonly PathSegment[], part?: PathPart): void;
  /** The document as the access matrix sees it, for a rule of `aps-oss/`. */
  document?: RuleDocument;
}

/** Checks one rule file, document by document, adding its problems to the shared list. */
class FileChecker {
  private readonly relPath: string;
  private readonly display: string;
  private readonly context: CheckerContext;
  private readonly lineCounter = new LineCounter();

  constructor(relPath: string, display: string, context: CheckerContext) {
    this.relPath = relPath;
    this.display = display;
    this.context = context;
  }

  private reportAt(code: ErrorCode, message: string, offset: number, ruleId?: string): void {
    const { line, column } = positionAt(this.lineCounter, offset);
    this.context.errors.push(new ConformanceError(code, message, { location: { file: this.display, line, column }, ...(ruleId === undefined ? {} : { ruleId }) }));
  }

  /** The rules of the file that passed every check. */
  async check(text: string): Promise<Rule[]> {
    const docs = parseAllDocuments(text, { lineCounter: this.lineCounter, prettyErrors: false });
    const folder = this.relPath.includes('/') ? this.relPath.slice(0, this.relPath.indexOf('/')) : undefined;
    if (folder === undefined || !(RULE_SCOPES as readonly string[]).includes(folder)) {
      this.reportAt('CONFORMANCE_SPEC_WRONG_PLACE', `rule files belong in ${listOf(RULE_SCOPES.map((s) => `${s}/`), ' or ')}`, 0);
    }
    const rules: Rule[] = [];
    let documents = 0;
    for (const doc of docs) {
      if (isEmptyDocument(doc)) continue;
      documents++;
      const rule = await this.checkDocument(doc, folder);
      if (rule) rules.push(rule);
    }
    if (documents === 0 && docs.every((d) => d.errors.length === 0)) {
      this.reportAt('CONFORMANCE_SPEC_NO_RULES', 'no rule in this file', 0);
    }
    return rules;
  }

  private async checkDocument(doc: Document, folder: string | undefined): Promise<Rule | undefined> {
    const before = this.context.errors.length;
    const rawId = doc.get('id');
    const ruleId = typeof rawId === 'string' ? rawId : undefined;
    const scope: DocumentScope = {
      ruleId,
      at: (path, part = 'value') => locate(doc, path, part).offset,
      read: (path) => {
        const found = locate(doc, path);
        return found.exact ? sourceText(found.node) : undefined;
      },
      report: (code, message, path, part = 'value') => this.reportAt(code, message, scope.at(path, part), ruleId),
    };

    for (const e of doc.errors) this.reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `invalid YAML: ${yamlMessage(e.message)}`, e.pos[0], ruleId);
    for (const w of doc.warnings) this.reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `YAML warning: ${yamlMessage(w.message)}`, w.pos[0], ruleId);
    if (doc.errors.length > 0) return undefined;

    let data: unknown;
    try {
      data = doc.toJS();
    } catch (error) {
      // Too many aliases, for one: yaml refuses to expand them.
      this.reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `invalid YAML: ${yamlMessage(error instanceof Error ? error.message : String(error))}`, scope.at([]), ruleId);
      return undefined;
    }
    const problems = schemaProblems(validateRuleSchema(data), {
      read: scope.read,
      classify: (error, path) => {
        if (error.keyword !== 'enum' || path.length !== 2 || path[0] !== 'requires') return undefined;
        const name = String(error.data);
        const help = didYouMean(name, error.params.allowedValues as string[]) || ', not in specs/_meta/capabilities.yaml';
        return { code: 'CONFORMANCE_SPEC_UNKNOWN_CAPABILITY', path, part: 'value', message: `unknown capability \`${name}\`${help}` };
      },
    });
    for (const p of problems) scope.report(p.code, p.message, p.path, p.part);
    if (!isObject(data)) return undefined;

    const vendor = (VENDORS as readonly unknown[]).includes(data['vendor']) ? data['vendor'] as Vendor : undefined;
    this.checkIdentity(scope, data, vendor, folder);
    await this.checkSource(scope, data['source']);
    if (Array.isArray(data['checks'])) this.checkChecks(scope, data['checks'], vendor);

    if (this.context.errors.length > before || ruleId === undefined || vendor === undefined) return undefined;
    return this.toRule(data, ruleId, vendor, scope.at([]));
  }

  /** The id against the inventory, the status against RULES.md, the file's folder and name, duplicates. */
  private checkIdentity(scope: DocumentScope, data: Record<string, unknown>, vendor: Vendor | undefined, folder: string | undefined): void {
    const { ruleId } = scope;
    if (ruleId === undefined || !RULE_ID.test(ruleId)) return;
    const parent = parentRuleId(ruleId);
    const entry = this.context.inventory.get(parent);
    if (!entry) {
      const help = parent === ruleId
        ? didYouMean(ruleId, this.context.inventory.keys()) || ', not in specs/_meta/RULES.md'
        : `: its parent \`${parent}\` is not in specs/_meta/RULES.md${didYouMean(parent, this.context.inventory.keys())}`;
      scope.report('CONFORMANCE_SPEC_UNKNOWN_RULE_ID', `unknown rule id \`${ruleId}\`${help}`, ['id']);
    } else {
      const status = data['status'];
      if (typeof status === 'string' && (RULE_STATUSES as readonly string[]).includes(status) && !allowedStatuses(entry, ruleId).some((s) => s === status)) {
        scope.report('CONFORMANCE_SPEC_STATUS_MISMATCH', statusMismatchMessage(entry, ruleId, status), ['status']);
      }
      if (vendor !== undefined && entry.vendor !== 'common' && entry.vendor !== vendor) {
        scope.report('CONFORMANCE_SPEC_INVALID_VALUE', `vendor \`${vendor}\` does not match rule \`${parent}\`, which RULES.md lists for \`${entry.vendor}\``, ['vendor']);
      }
    }

    const crossVendor = ruleId.startsWith('X-');
    if (folder === 'common' && !crossVendor) {
      const home = entry && entry.vendor !== 'common' ? `; move it to \`${entry.vendor}/\`` : '';
      scope.report('CONFORMANCE_SPEC_WRONG_PLACE', `rule \`${ruleId}\` in \`common/\`, which holds only \`X-*\` rules${home}`, ['id']);
    } else if (folder !== undefined && (VENDORS as readonly string[]).includes(folder)) {
      if (crossVendor) scope.report('CONFORMANCE_SPEC_WRONG_PLACE', `cross-vendor rule \`${ruleId}\` in \`${folder}/\`; move it to \`common/\``, ['id']);
      else if (vendor !== undefined && vendor !== folder) scope.report('CONFORMANCE_SPEC_WRONG_PLACE', `a rule of \`${vendor}\` in \`${folder}/\`; move it to \`${vendor}/\``, ['vendor']);
    }
    const stem = basename(this.relPath).replace(/\.ya?ml$/, '');
    if (stem !== ruleId && stem !== parent) {
      scope.report('CONFORMANCE_SPEC_WRONG_PLACE', `rule \`${ruleId}\` in a file named \`${basename(this.relPath)}\`; name the file after the rule id or its parent id`, ['id']);
    }

    if (vendor !== undefined) {
      const key = `${vendor}\u0000${ruleId}`;
      const { line, column } = positionAt(this.lineCounter, scope.at(['id']));
      const first = this.context.definitions.get(key);
      const where = `${this.display}:${line}:${column}`;
      if (first) scope.report('CONFORMANCE_SPEC_DUPLICATE_ID', `duplicate rule \`${ruleId}\` of \`${vendor}\`, also defined at ${first.where}`, ['id']);
      else {
        this.context.definitions.set(key, { where });
        if (vendor === 'aps-oss' && folder === 'aps-oss') {
          scope.document = { id: ruleId, status: data['status'], where, matrixChecks: [], report: scope.report };
          this.context.documents.set(ruleId, scope.document);
        }
      }
    }
  }

  /** The seed must exist and hold the quote, compared after collapsing white space. */
  private async checkSource(scope: DocumentScope, source: unknown): Promise<void> {
    if (!isObject(source)) return;
    const problem = await citationProblem(this.context.seeds, source['seed'], source['quote']);
    if (problem) scope.report('CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED', problem.message, ['source', problem.field]);
  }

  /** Unique check names, and property checks against the property's params schema and labels. */
  private checkChecks(scope: DocumentScope, checks: unknown[], vendor: Vendor | undefined): void {
    const names = new Map<string, number>();
    checks.forEach((check, i) => {
      if (!isObject(check)) return;
      const name = check['name'];
      if (typeof name === 'string') {
        const first = names.get(name);
        if (first === undefined) names.set(name, i);
        else {
          const { line } = positionAt(this.lineCounter, scope.at(['checks', first, 'name']));
          scope.report('CONFORMANCE_SPEC_INVALID_VALUE', `duplicate check name \`${name}\`, first used at line ${line}`, ['checks', i, 'name']);
        }
      }
      const propertyName = check['property'];
      if (typeof propertyName !== 'string') return;
      const property = this.context.properties.get(propertyName);
      if (!property) {
        const sameVendor = [...this.context.properties.values()].filter((p) => vendor === undefined || p.vendor === vendor).map((p) => p.name);
        const help = didYouMean(propertyName, sameVendor) || ', not in specs/_meta/properties.yaml';
        scope.report('CONFORMANCE_SPEC_UNKNOWN_PROPERTY', `unknown property \`${propertyName}\`${help}`, ['checks', i, 'property']);
      } else if (vendor !== undefined && property.vendor !== vendor) {
        scope.report('CONFORMANCE_SPEC_UNKNOWN_PROPERTY', `property \`${propertyName}\` is for \`${property.vendor}\`, not \`${vendor}\``, ['checks', i, 'property']);
      } else {
        this.checkPropertyCheck(scope, check, i, property);
        if (scope.document && APS_MATRIX_PROPERTIES.includes(propertyName)) {
          scope.document.matrixChecks.push({ index: i, property: propertyName, outcomes: check['outcomes'], cover: check['cover'] });
        }
      }
    });
  }

  /** Params against the property's schema (defaults filled in), outcomes and cover against its labels. */
  private checkPropertyCheck(scope: DocumentScope, check: Record<string, unknown>, i: number, property: PropertyDefinition): void {
    const invalid = (message: string, path: readonly PathSegment[], part: PathPart = 'value') =>
      scope.report('CONFORMANCE_SPEC_INVALID_VALUE', message, path, part);
    if (check['params'] === undefined) check['params'] = {};
    if (isObject(check['params'])) {
      const problems = schemaProblems(validateParams(property, check['params']), {
        prefix: ['checks', i, 'params'],
        read: scope.read,
        wrap: { code: 'CONFORMANCE_SPEC_INVALID_VALUE', prefix: `invalid params for property \`${property.name}\`: ` },
      });
      for (const p of problems) scope.report(p.code, p.message, p.path, p.part);
    }
    const outcomes = property.labels['outcome'] ?? [];
    if (Array.isArray(check['outcomes'])) {
      check['outcomes'].forEach((outcome, j) => {
        if (typeof outcome === 'string' && !outcomes.includes(outcome)) {
          invalid(`property \`${property.name}\` has no outcome \`${outcome}\`, expected one of ${listOf(outcomes)}`, ['checks', i, 'outcomes', j]);
        }
      });
    }
    const cover = check['cover'];
    if (!isObject(cover)) return;
    for (const [label, values] of Object.entries(cover)) {
      const known = property.labels[label];
      if (!known) {
        const labels = Object.keys(property.labels);
        invalid(`property \`${property.name}\` has no label \`${label}\`${didYouMean(label, labels) || `, expected one of ${listOf(labels)}`}`, ['checks', i, 'cover', label], 'key');
        continue;
      }
      if (!Array.isArray(values)) continue;
      values.forEach((value, j) => {
        if (typeof value === 'string' && !known.includes(value)) {
          invalid(`label \`${label}\` of property \`${property.name}\` has no value \`${value}\`, expected one of ${listOf(known)}`, ['checks', i, 'cover', label, j]);
        }
      });
    }
  }

  /** The rule in model form, from a document that passed every check. */
  private toRule(data: Record<string, unknown>, id: string, vendor: Vendor, start: number): Rule {
    const source = data['source'] as { seed: string; quote: string };
    const checks = (data['checks'] as Record<string, unknown>[]).map((check): Check => {
      if (typeof check['property'] === 'string') {
        return {
          kind: 'property',
          name: check['name'] as string,
          property: check['property'],
          params: check['params'] as Record<string, unknown>,
          outcomes: check['outcomes'] as string[],
          cover: (check['cover'] ?? {}) as Record<string, string[]>,
          ...(Array.isArray(check['requires']) ? { requires: check['requires'] as Capability[] } : {}),
        };
      }
      const requests = ((check['requests'] ?? []) as Record<string, unknown>[]).map((r): ExampleRequest => ({
        ...(typeof r['name'] === 'string' ? { name: r['name'] } : {}),
        request: r['request'] as ExampleRequest['request'],
        expect: expectationOf(r['expect']),
      }));
      return {
        kind: 'example',
        name: check['name'] as string,
        world: { vendor, ...(check['world'] as object) } as World,
        ...(check['expectWorld'] === undefined ? {} : { expectWorld: expectationOf(check['expectWorld']) }),
        requests,
        ...(Array.isArray(check['requires']) ? { requires: check['requires'] as Capability[] } : {}),
      };
    });
    return {
      id,
      vendor,
      status: data['status'] as Rule['status'],
      title: data['title'] as string,
      source: { seed: source.seed, quote: source.quote },
      ...(typeof data['reading'] === 'string' ? { reading: data['reading'] } : {}),
      ...(typeof data['notes'] === 'string' ? { notes: data['notes'] } : {}),
      requires: (data['requires'] ?? []) as Rule['requires'],
      checks,
      file: this.relPath,
      line: positionAt(this.lineCounter, start).line,
    };
  }
}

/** A yaml library message in the house style: lower case first, no final period. */
function yamlMessage(message: string): string {
  const text = message.replace(/\.$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}
