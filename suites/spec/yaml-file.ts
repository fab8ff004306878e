import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { ConformanceError } from '../../model/errors.ts';
import type { ErrorCode } from '../../model/errors.ts';
import type { JsonSchema } from '../properties/types.ts';
import { locate, positionAt, sourceText } from './locate.ts';
import type { PathPart, PathSegment } from './locate.ts';
import { schemaProblems } from './schema-errors.ts';
import { MESSAGE_KEYWORDS } from './schema.ts';

/**
 * One YAML file of a single document checked against a JSON Schema, with every problem located
 * (`file:line:col`): the regression files of `specs/_regressions/` and the expectations files of
 * `run --expectations` are read this way, as the rule files are.
 */

/** A checked YAML document: its data, and how to report a further problem at a path of it. */
export interface CheckedYaml {
  /** The document as plain data; undefined when the YAML itself is invalid. */
  data: unknown;
  /** Whether the document passed the schema (and the YAML parsed). */
  valid: boolean;
  /** Records a problem at `path` (its key for `part: 'key'`). */
  report(code: ErrorCode, message: string, path: readonly PathSegment[], part?: PathPart): void;
  /** The 1-based line of the node at `path`, for messages that point at a second place. */
  lineOf(path: readonly PathSegment[]): number;
}

/** Compiles a schema written like the rule schema (draft-07, with its message keywords). */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
  ajv.addVocabulary([...MESSAGE_KEYWORDS]);
  return ajv.compile(schema);
}

function yamlMessage(message: string): string {
  const text = message.replace(/\.$/, '').split('\n')[0]!;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Parses `text` (the file shown as `display`) and checks it against `validate`; every problem is
 * appended to `errors` with its location, and `ruleId` (when given) after the message.
 */
export function checkYamlFile(text: string, display: string, validate: ValidateFunction, errors: ConformanceError[], ruleId?: (data: unknown) => string | undefined): CheckedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false });
  let id: string | undefined;
  const at = (offset: number) => positionAt(lineCounter, offset);
  const reportAt = (code: ErrorCode, message: string, offset: number) => {
    const { line, column } = at(offset);
    errors.push(new ConformanceError(code, message, { location: { file: display, line, column }, ...(id === undefined ? {} : { ruleId: id }) }));
  };
  const checked: CheckedYaml = {
    data: undefined,
    valid: false,
    report: (code, message, path, part = 'value') => reportAt(code, message, locate(doc, path, part).offset),
    lineOf: (path) => at(locate(doc, path).offset).line,
  };
  for (const e of doc.errors) reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `invalid YAML: ${yamlMessage(e.message)}`, e.pos[0]);
  if (doc.errors.length > 0) return checked;
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    reportAt('CONFORMANCE_SPEC_YAML_SYNTAX', `invalid YAML: ${yamlMessage(error instanceof Error ? error.message : String(error))}`, 0);
    return checked;
  }
  id = ruleId?.(data);
  checked.data = data;
  const before = errors.length;
  if (!validate(data)) {
    const read = (path: readonly PathSegment[]) => {
      const found = locate(doc, path);
      return found.exact ? sourceText(found.node) : undefined;
    };
    for (const p of schemaProblems((validate.errors ?? []) as readonly ErrorObject[], { read })) checked.report(p.code, p.message, p.path, p.part);
  }
  checked.valid = errors.length === before;
  return checked;
}
