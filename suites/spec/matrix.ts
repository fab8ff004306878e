import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { apsMatrix, apsTargets, APS_ROLES, APS_TARGETS, cellKey } from '../../model/aps-oss/matrix.ts';
import type { ApsCell, ApsMatrix, ApsRole, ApsTarget } from '../../model/aps-oss/matrix.ts';
import { APS_OPERATIONS } from '../../model/aps-oss/types.ts';
import type { ApsOperation } from '../../model/aps-oss/types.ts';
import { ConformanceError } from '../../model/errors.ts';
import type { ErrorCode } from '../../model/errors.ts';
import type { Expectation } from '../../model/outcome.ts';
import { parentRuleId, RULE_STATUSES } from '../../model/rule.ts';
import type { RuleStatus } from '../../model/rule.ts';
import type { PropertyDefinition } from '../properties/types.ts';
import { citationProblem } from './citation.ts';
import type { Seeds } from './citation.ts';
import { allowedStatuses, statusMismatchMessage } from './inventory.ts';
import type { RuleInventoryEntry } from './inventory.ts';
import { locate, positionAt, sourceText } from './locate.ts';
import type { PathPart, PathSegment } from './locate.ts';
import { didYouMean, listOf, schemaProblems } from './schema-errors.ts';
import { APS_RULE_ID_PATTERN, apsMatrixSchema, MESSAGE_KEYWORDS } from './schema.ts';

/** Where the APS access matrix lives, relative to the specs folder; the one YAML file of a vendor folder that is not a rule file. */
export const APS_MATRIX_FILE = 'aps-oss/access-matrix.yaml';

/** The properties driven by the matrix: each checks the cells whose `rule` is the id of the rule document that names it. */
export const APS_MATRIX_PROPERTIES: readonly string[] = ['aps-matrix-exhaustive', 'aps-matrix-generated'];

/** The matrix property that every rule document owning cells must have, so that no cell goes unchecked. */
export const APS_MATRIX_EXHAUSTIVE = 'aps-matrix-exhaustive';

/** A check of a rule document that names a matrix property, as written. */
export interface MatrixCheck {
  /** Its index in `checks`. */
  index: number;
  property: string;
  outcomes: unknown;
  cover: unknown;
}

/** A rule document of `aps-oss/`, as the matrix checks see it. */
export interface RuleDocument {
  id: string;
  status: unknown;
  /** `file:line:col` of its id, for messages. */
  where: string;
  matrixChecks: MatrixCheck[];
  /** Records a problem at a path of the document. */
  report(code: ErrorCode, message: string, path: readonly PathSegment[], part?: PathPart): void;
}

/** What the matrix is checked against, and where its problems go. */
export interface MatrixContext {
  inventory: ReadonlyMap<string, RuleInventoryEntry>;
  seeds: Seeds;
  /** The rule documents of `aps-oss/` by id (the first of duplicates). */
  documents: ReadonlyMap<string, RuleDocument>;
  errors: ConformanceError[];
}

let matrixValidator: ValidateFunction | undefined;

function validateMatrixSchema(data: unknown): readonly ErrorObject[] {
  if (!matrixValidator) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
    ajv.addVocabulary([...MESSAGE_KEYWORDS]);
    matrixValidator = ajv.compile(apsMatrixSchema());
  }
  return matrixValidator(data) ? [] : (matrixValidator.errors ?? []);
}

const APS_RULE_ID = new RegExp(APS_RULE_ID_PATTERN);

const COORDINATES = { role: APS_ROLES, operation: APS_OPERATIONS, target: APS_TARGETS } as const;
type Coordinate = keyof typeof COORDINATES;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents as { value?: unknown; items?: unknown } | null;
  return contents === null || (contents.items === undefined && contents.value === null && doc.errors.length === 0);
}

/** A yaml library message in the house style: lower case first, no final period. */
function yamlMessage(message: string): string {
  const text = message.replace(/\.$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** One entry of the table, with the values of its coordinates that are known and where each is written. */
interface Entry {
  index: number;
  rule: string | undefined;
  line: number;
  /** Each known value of a coordinate, with the path of the node that holds it. */
  values: Record<Coordinate, { value: string; path: PathSegment[] }[]>;
  data: Record<string, unknown>;
  valid: boolean;
}

/** Why a target is outside the domain of a role and operation, in words. */
function outsideReason(role: ApsRole, operation: ApsOperation, target: ApsTarget): string {
  const domain = apsTargets(role, operation);
  if (target === 'by-self' && (role === 'read' || role === 'stranger')) {
    return `${role === 'read' ? 'a `read` key' : 'a stranger'} never uploads, so it has no object of its own (APS-READ-NOTHING-TO-READ); the targets of \`${role} ${operation}\` are ${listOf(domain)}`;
  }
  if (target === 'by-owner' && role === 'owner') return `the owner's own objects are \`by-self\`; the targets of \`${role} ${operation}\` are ${listOf(domain)}`;
  return `the targets of \`${role} ${operation}\` are ${listOf(domain)}`;
}

/**
 * Reads and validates the APS access matrix against the rule inventory, the seeds and the rule
 * documents of `aps-oss/`, adding every problem to `context.errors` as
 * `file:line:col: message (rule ID)`. Checks the schema, each entry's rule id (in RULES.md,
 * with a rule document), status (allowed by RULES.md, equal to the document's) and quote, and
 * that the expanded cells cover the domain of `apsTargets` exactly once: no cell outside it, no
 * gap, no overlap. Returns the matrix when the file has no problem.
 */
export async function loadApsMatrix(file: { path: string; display: string; relPath: string }, context: MatrixContext): Promise<ApsMatrix | undefined> {
  const checker = new MatrixChecker(file.display, file.relPath, context);
  return checker.check(await readFile(file.path, 'utf8'));
}

class MatrixChecker {
  private readonly display: string;
  private readonly relPath: string;
  private readonly context: MatrixContext;
  private readonly lineCounter = new LineCounter();
  private doc: Document | undefined;
  private problems = 0;

  constructor(display: string, relPath: string, context: MatrixContext) {
    this.display = display;
    this.relPath = relPath;
    this.context = context;
  }

  private reportAt(code: ErrorCode, message: string, offset: number, ruleId?: string): void {
    const { line, column } = positionAt(this.lineCounter, offset);
    this.problems++;
    this.context.errors.push(new ConformanceError(code, message, { location: { file: this.display, line, column }, ...(ruleId === undefined ? {} : { ruleId }) }));
  }

  private offset(path: readonly PathSegment[], part: PathPart = 'value'): number {
    return this.doc ? locate(this.doc, path, part).offset : 0;
  }

  private report(code: ErrorCode, message: string, path: readonly PathSegment[], ruleId?: string, part: PathPart = 'value'): void {
    this.reportAt(code, message, this.offset(path, part), ruleId);
  }

  private lineOf(path: readonly PathSegment[]): number {
    return positionAt(this.lineCounter, this.offset(path)).line;
  }

  async check(text: string): Promise<ApsMatrix | undefined> {
    const docs = parseAllDocuments(text, { lineCounter: this.lineCounter, prettyErrors: false });
    const nonEmpty = docs.filter((d) => !isEmptyDocument(d));
    for (const d of docs) {
      for (const e of d.errors) this.reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `invalid YAML: ${yamlMessage(e.message)}`, e.pos[0]);
      for (const w of d.warnings) this.reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `YAML warning: ${yamlMessage(w.message)}`, w.pos[0]);
    }
    if (this.problems > 0) return undefined;
    if (nonEmpty.length === 0) {
      this.reportAt('CONFORMANCE_SPEC_MISSING_FIELD', 'missing field `entries`: the access matrix is empty', 0);
      return undefined;
    }
    if (nonEmpty.length > 1) {
      const second = nonEmpty[1]!.contents as { range?: number[] } | null;
      this.reportAt('CONFORMANCE_SPEC_INVALID_VALUE', 'the access matrix is one YAML document; remove the `---` and merge the entries', second?.range?.[0] ?? 0);
      return undefined;
    }
    const doc = nonEmpty[0]!;
    this.doc = doc;

    let data: unknown;
    try {
      data = doc.toJS();
    } catch (error) {
      this.reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `invalid YAML: ${yamlMessage(error instanceof Error ? error.message : String(error))}`, this.offset([]));
      return undefined;
    }
    const ruleAt = (path: readonly PathSegment[]): string | undefined => {
      if (path[0] !== 'entries' || path[1] === undefined || !/^\d+$/.test(String(path[1]))) return undefined;
      const entries = isObject(data) && Array.isArray(data['entries']) ? data['entries'] : [];
      const entry: unknown = entries[Number(path[1])];
      return isObject(entry) && typeof entry['rule'] === 'string' ? entry['rule'] : undefined;
    };
    const read = (path: readonly PathSegment[]) => {
      const found = locate(doc, path);
      return found.exact ? sourceText(found.node) : undefined;
    };
    const schemaPaths = new Set<string>();
    const problems = schemaProblems(validateMatrixSchema(data), {
      read,
      classify: (error, path) => {
        // An unknown role, operation or target: name the coordinate and suggest the closest value.
        const coordinate = path[0] === 'entries' ? path[2] : undefined;
        if (error.keyword !== 'enum' || typeof coordinate !== 'string' || !(coordinate in COORDINATES)) return undefined;
        const name = String(error.data);
        const known = COORDINATES[coordinate as Coordinate];
        return { code: 'CONFORMANCE_SPEC_INVALID_VALUE', path, part: 'value', message: `unknown ${coordinate} \`${name}\`${didYouMean(name, known) || `, expected one of ${listOf(known)}`}` };
      },
    });
    for (const p of problems) {
      schemaPaths.add(p.path.slice(0, 3).join('\u0000'));
      this.report(p.code, p.message, p.path, ruleAt(p.path), p.part);
    }
    if (!isObject(data) || !Array.isArray(data['entries'])) return undefined;

    const entries: Entry[] = [];
    for (const [index, raw] of (data['entries'] as unknown[]).entries()) {
      if (!isObject(raw)) continue;
      const rule = typeof raw['rule'] === 'string' ? raw['rule'] : undefined;
      const values = { role: [], operation: [], target: [] } as Entry['values'];
      let valid = true;
      for (const coordinate of Object.keys(COORDINATES) as Coordinate[]) {
        const value = raw[coordinate];
        const known = COORDINATES[coordinate] as readonly string[];
        const list = Array.isArray(value) ? value.map((v, i) => ({ v, path: ['entries', index, coordinate, i] as PathSegment[] })) : [{ v: value, path: ['entries', index, coordinate] as PathSegment[] }];
        for (const { v, path } of list) {
          if (typeof v !== 'string' || !known.includes(v)) valid = false;
          // A value listed twice is the schema's to report (uniqueItems), not an overlap.
          else if (!values[coordinate].some((x) => x.value === v)) values[coordinate].push({ value: v, path });
        }
        if (schemaPaths.has(['entries', index, coordinate].join('\u0000'))) valid = false;
      }
      entries.push({ index, rule, line: this.lineOf(['entries', index]), values, data: raw, valid });
      await this.checkEntry(index, raw, rule);
    }

    const cells = this.checkCoverage(entries);
    if (this.problems > 0) return undefined;
    return apsMatrix(cells);
  }

  /** The rule id against RULES.md and the rule documents, the status against both, the quote against the seed. */
  private async checkEntry(index: number, entry: Record<string, unknown>, rule: string | undefined): Promise<void> {
    const at = (...path: PathSegment[]): PathSegment[] => ['entries', index, ...path];
    if (rule !== undefined && APS_RULE_ID.test(rule)) {
      const parent = parentRuleId(rule);
      const inventoryEntry = this.context.inventory.get(parent);
      const status = entry['status'];
      if (!inventoryEntry) {
        const aps = [...this.context.inventory.keys()].filter((id) => id.startsWith('APS-'));
        const help = parent === rule
          ? didYouMean(rule, aps) || ', not in specs/_meta/RULES.md'
          : `: its parent \`${parent}\` is not in specs/_meta/RULES.md${didYouMean(parent, aps)}`;
        this.report('CONFORMANCE_SPEC_UNKNOWN_RULE_ID', `unknown rule id \`${rule}\`${help}`, at('rule'), rule);
      } else {
        const document = this.context.documents.get(rule);
        if (!document) {
          const help = didYouMean(rule, this.context.documents.keys());
          this.report('CONFORMANCE_SPEC_UNKNOWN_RULE_ID', `no rule document \`${rule}\` in \`aps-oss/\`${help || '; every rule of the matrix is reported by a rule document of that id'}`, at('rule'), rule);
        }
        if (typeof status === 'string' && (allowedStatuses(inventoryEntry, rule) as string[]).includes(status)) {
          if (document && typeof document.status === 'string' && document.status !== status) {
            this.report('CONFORMANCE_SPEC_STATUS_MISMATCH', `status \`${status}\` differs from the rule document \`${rule}\` at ${document.where}, which has \`${document.status}\``, at('status'), rule);
          }
        } else if (typeof status === 'string' && (RULE_STATUSES as readonly string[]).includes(status)) {
          this.report('CONFORMANCE_SPEC_STATUS_MISMATCH', statusMismatchMessage(inventoryEntry, rule, status), at('status'), rule);
        }
      }
    }
    const source = entry['source'];
    if (isObject(source)) {
      const problem = await citationProblem(this.context.seeds, source['seed'], source['quote']);
      if (problem) this.report('CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED', problem.message, at('source', problem.field), rule);
    }
  }

  /**
   * Expands every entry into cells and checks them against the domain: a cell outside
   * `apsTargets`, a cell of two entries, a cell of none. Gaps are not reported while an entry
   * has an unknown coordinate, whose fix may well fill them.
   */
  private checkCoverage(entries: readonly Entry[]): ApsCell[] {
    const cells: ApsCell[] = [];
    const owner = new Map<string, Entry>();
    let complete = true;
    for (const entry of entries) {
      if (!entry.valid) complete = false;
      const outside = new Map<string, { path: PathSegment[]; cells: string[]; reason: string }>();
      const overlaps = new Map<Entry, string[]>();
      for (const role of entry.values.role) {
        for (const operation of entry.values.operation) {
          for (const target of entry.values.target) {
            const r = role.value as ApsRole;
            const o = operation.value as ApsOperation;
            const t = target.value as ApsTarget;
            const key = cellKey(r, o, t);
            if (!apsTargets(r, o).includes(t)) {
              const pathKey = target.path.join('\u0000');
              const group = outside.get(pathKey) ?? { path: target.path, cells: [], reason: outsideReason(r, o, t) };
              group.cells.push(key);
              outside.set(pathKey, group);
              continue;
            }
            const first = owner.get(key);
            if (first) {
              overlaps.set(first, [...(overlaps.get(first) ?? []), key]);
              continue;
            }
            owner.set(key, entry);
            cells.push(this.cell(entry, r, o, t));
          }
        }
      }
      for (const group of outside.values()) {
        const which = group.cells.length === 1 ? `cell \`${group.cells[0]}\` is` : `cells ${listOf(group.cells)} are`;
        this.report('CONFORMANCE_SPEC_MATRIX_COVERAGE', `${which} outside the domain: ${group.reason}`, group.path, entry.rule);
      }
      for (const [first, keys] of overlaps) {
        const which = keys.length === 1 ? `cell \`${keys[0]}\`` : `cells ${listOf(keys)}`;
        const other = first.rule === undefined ? '' : ` (rule ${first.rule})`;
        this.report('CONFORMANCE_SPEC_MATRIX_COVERAGE', `${which} also covered by the entry at line ${first.line}${other}: the entries at lines ${first.line} and ${entry.line} overlap`, ['entries', entry.index], entry.rule);
      }
    }
    if (complete) {
      for (const role of APS_ROLES) {
        const missing: string[] = [];
        for (const operation of APS_OPERATIONS) {
          const targets = apsTargets(role, operation).filter((t) => !owner.has(cellKey(role, operation, t)));
          if (targets.length > 0) missing.push(`\`${operation}\` on ${listOf(targets)}`);
        }
        if (missing.length > 0) {
          this.report('CONFORMANCE_SPEC_MATRIX_COVERAGE', `gap: no entry covers role \`${role}\` for ${missing.join('; ')}`, ['entries'], undefined, 'key');
        }
      }
    }
    return cells;
  }

  private cell(entry: Entry, role: ApsRole, operation: ApsOperation, target: ApsTarget): ApsCell {
    const data = entry.data;
    const source = data['source'] as { seed: string; quote: string };
    const expect = data['expect'];
    return {
      rule: data['rule'] as string,
      status: data['status'] as RuleStatus,
      source: { seed: source.seed, quote: source.quote },
      ...(typeof data['reading'] === 'string' ? { reading: data['reading'] } : {}),
      role,
      operation,
      target,
      expect: typeof expect === 'string' ? { decision: expect as Expectation['decision'] } : { ...(expect as Expectation) },
      at: `${this.relPath}:${entry.line}`,
    };
  }
}

/**
 * Checks the rule documents against the matrix: a document that owns cells has an
 * `aps-matrix-exhaustive` check (else its cells are never checked); a matrix check names a rule
 * that owns cells, lists as `outcomes` exactly the decisions of those cells, and covers only
 * roles, operations and targets they have. With no matrix file, a matrix check is an error; with
 * an invalid one, nothing is compared (its own problems come first).
 */
export function checkMatrixUses(matrix: ApsMatrix | undefined, state: 'absent' | 'invalid' | 'valid', documents: ReadonlyMap<string, RuleDocument>, properties: ReadonlyMap<string, PropertyDefinition>): void {
  if (state === 'invalid') return;
  const byRule = new Map<string, ApsCell[]>();
  for (const cell of matrix?.cells ?? []) byRule.set(cell.rule, [...(byRule.get(cell.rule) ?? []), cell]);
  for (const document of documents.values()) {
    const cells = byRule.get(document.id) ?? [];
    for (const check of document.matrixChecks) {
      const at = (...path: PathSegment[]): PathSegment[] => ['checks', check.index, ...path];
      if (state === 'absent') {
        document.report('CONFORMANCE_SPEC_MATRIX_COVERAGE', `property \`${check.property}\` reads the cells of \`${APS_MATRIX_FILE}\`, which is missing`, at('property'));
        continue;
      }
      if (cells.length === 0) {
        document.report('CONFORMANCE_SPEC_MATRIX_COVERAGE', `property \`${check.property}\` checks the cells of rule \`${document.id}\`, and no entry of \`${APS_MATRIX_FILE}\` names it`, at('property'));
        continue;
      }
      const decisions = [...new Set(cells.map((c) => c.expect.decision))];
      if (Array.isArray(check.outcomes)) {
        check.outcomes.forEach((outcome, j) => {
          if (typeof outcome === 'string' && !(decisions as string[]).includes(outcome)) {
            document.report('CONFORMANCE_SPEC_INVALID_VALUE', `no cell of \`${document.id}\` in \`${APS_MATRIX_FILE}\` has outcome \`${outcome}\`; its cells have ${listOf(decisions)}`, at('outcomes', j));
          }
        });
        const unlisted = decisions.filter((d) => !(check.outcomes as unknown[]).includes(d));
        if (unlisted.length > 0) {
          const lines = [...new Set(cells.filter((c) => unlisted.includes(c.expect.decision)).map((c) => c.at.slice(c.at.lastIndexOf(':') + 1)))];
          document.report('CONFORMANCE_SPEC_INVALID_VALUE', `\`outcomes\` lacks ${listOf(unlisted)}, which cells of \`${document.id}\` have (${APS_MATRIX_FILE} line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`, at('outcomes'));
        }
      }
      if (!isObject(check.cover)) continue;
      for (const label of ['role', 'operation', 'target'] as const) {
        const values = check.cover[label];
        if (!Array.isArray(values)) continue;
        const reached = [...new Set(cells.map((c) => c[label] as string))];
        const known = COORDINATES[label] as readonly string[];
        values.forEach((value, j) => {
          // An unknown value is the property's label check's to report.
          if (typeof value === 'string' && known.includes(value) && !reached.includes(value)) {
            document.report('CONFORMANCE_SPEC_INVALID_VALUE', `no cell of \`${document.id}\` in \`${APS_MATRIX_FILE}\` has ${label} \`${value}\`; its cells have ${listOf(reached)}`, at('cover', label, j));
          }
        });
      }
    }
    if (state === 'valid' && cells.length > 0 && properties.has(APS_MATRIX_EXHAUSTIVE) && !document.matrixChecks.some((c) => c.property === APS_MATRIX_EXHAUSTIVE)) {
      document.report('CONFORMANCE_SPEC_MATRIX_COVERAGE', `rule \`${document.id}\` owns ${cells.length} cell${cells.length > 1 ? 's' : ''} of \`${APS_MATRIX_FILE}\` and has no \`${APS_MATRIX_EXHAUSTIVE}\` check, so they are never checked`, ['id']);
    }
  }
}
