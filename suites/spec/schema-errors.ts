import type { ErrorObject } from 'ajv';
import type { ErrorCode } from '../../model/errors.ts';
import { formatPath, pointerToPath } from './locate.ts';
import type { PathPart, PathSegment } from './locate.ts';

/** A problem found in a document before it is placed: what, where (a path into the document), and which part of the entry to point at. */
export interface SpecProblem {
  code: ErrorCode;
  path: PathSegment[];
  /** `key` for unknown fields, `value` for bad values and for the object that lacks a missing field. */
  part: PathPart;
  message: string;
}

/** Reads a scalar's text at a path, for messages (`174649585760`); undefined for maps and lists. */
export type SourceReader = (path: readonly PathSegment[]) => string | undefined;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  object: 'a map',
  array: 'a list',
  integer: 'an integer',
  number: 'a number',
  boolean: '`true` or `false`',
  null: 'nothing',
};

/** Values as a list of backticked values: `a`, `b`, `c`; or `a`, `b` or `c` with `last: 'or'`. */
export function listOf(values: readonly unknown[], last: ', ' | ' or ' = ', '): string {
  const quoted = values.map((v) => `\`${String(v)}\``);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')}${last}${quoted.at(-1)!}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest of `candidates` to a misspelt `input`, when one is close enough to be a likely typo. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `, did you mean `x`?` when a candidate is close to `input`, else an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : `, did you mean \`${match}\`?`;
}

function hint(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const message = error.keyword === 'pattern' ? (schema?.['patternErrorMessage'] ?? schema?.['errorMessage']) : schema?.['errorMessage'];
  return typeof message === 'string' ? message : undefined;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The reason of an INVALID_VALUE problem, after the value and its path. */
function reason(error: ErrorObject): string {
  const given = hint(error);
  if (given) return given;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const expected = String(params['type']).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      const actual = jsonType(error.data);
      if (expected === 'a string' && (actual === 'number' || actual === 'boolean')) {
        return `expected a string, and YAML reads this as a ${actual}; quote it`;
      }
      return `expected ${expected}`;
    }
    case 'enum':
      return `expected one of ${listOf(params['allowedValues'] as unknown[])}`;
    case 'const':
      return `expected \`${String(params['allowedValue'])}\``;
    case 'pattern':
      return `expected to match \`${String(params['pattern'])}\``;
    case 'minItems':
      return params['limit'] === 1 ? 'expected at least one item' : `expected at least ${String(params['limit'])} items`;
    case 'maxItems':
      return `expected at most ${String(params['limit'])} items`;
    case 'minLength':
      return params['limit'] === 1 ? 'expected a non-empty string' : `expected at least ${String(params['limit'])} characters`;
    case 'maxLength':
      return `expected at most ${String(params['limit'])} characters`;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return `expected ${String(params['comparison'])} ${String(params['limit'])}`;
    case 'not':
    case 'false schema':
      return 'not allowed here';
    default:
      return (error.message ?? `fails \`${error.keyword}\``).replace(/^must /, 'expected to ');
  }
}

/**
 * Turns ajv errors (run with `allErrors` and `verbose`) into spec problems: unknown fields,
 * missing fields, and invalid values with a reason; `prefix` places errors of a nested validation
 * (a property's params) in the document. Errors of `if` and of the branches of composite keywords
 * are folded into one problem per place.
 */
export function schemaProblems(errors: readonly ErrorObject[], options: {
  prefix?: readonly PathSegment[];
  read: SourceReader;
  /** Classifies an invalid value further (e.g. an unknown capability); return undefined to keep INVALID_VALUE. */
  classify?: (error: ErrorObject, path: PathSegment[]) => SpecProblem | undefined;
  /** Puts every problem under one code and a message prefix (a property's params are all INVALID_VALUE). */
  wrap?: { code: ErrorCode; prefix: string };
}): SpecProblem[] {
  const prefix = options.prefix ?? [];
  const composite = errors.filter((e) => ['anyOf', 'oneOf'].includes(e.keyword));
  const problems: SpecProblem[] = [];
  const invalidAt = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    // A branch of anyOf/oneOf is reported through the composite error, not on its own.
    if (composite.some((c) => c !== error && error.schemaPath.startsWith(`${c.schemaPath}/`) && error.instancePath.startsWith(c.instancePath))) continue;
    const path: PathSegment[] = [...prefix, ...pointerToPath(error.instancePath)];
    const params = error.params as Record<string, unknown>;
    let problem: SpecProblem;
    if (error.keyword === 'additionalProperties') {
      const field = String(params['additionalProperty']);
      const known = Object.keys(((error.parentSchema as Record<string, unknown> | undefined)?.['properties'] ?? {}) as object);
      const suggestion = didYouMean(field, known);
      const expected = suggestion || (known.length > 0 ? `, expected one of ${listOf(known)}` : '');
      problem = { code: 'CONFORMANCE_SPEC_UNKNOWN_FIELD', path: [...path, field], part: 'key', message: `unknown field \`${field}\`${expected}` };
    } else if (error.keyword === 'required') {
      const field = String(params['missingProperty']);
      const why = hint(error);
      problem = { code: 'CONFORMANCE_SPEC_MISSING_FIELD', path, part: 'value', message: `missing field \`${formatPath([...path, field])}\`${why ? `: ${why}` : ''}` };
    } else {
      // Point at the later of two equal items, which is the one to remove.
      const at = error.keyword === 'uniqueItems' ? [...path, Number(params['i'])] : path;
      const key = at.join('\u0000');
      if (invalidAt.has(key)) continue;
      invalidAt.add(key);
      const classified = options.classify?.(error, at);
      if (classified) problem = classified;
      else {
        const value = options.read(at);
        const place = at.length === 0 ? 'the document' : `\`${formatPath(at)}\``;
        const subject = error.keyword === 'uniqueItems' ? `duplicate item${value === undefined ? '' : ` \`${value}\``} in \`${formatPath(path)}\``
          : value === undefined ? `invalid value for ${place}` : `invalid value \`${value}\` for ${place}`;
        problem = { code: 'CONFORMANCE_SPEC_INVALID_VALUE', path: at, part: 'value', message: error.keyword === 'uniqueItems' ? subject : `${subject}: ${reason(error)}` };
      }
    }
    if (options.wrap) problem = { ...problem, code: options.wrap.code, message: `${options.wrap.prefix}${problem.message}` };
    problems.push(problem);
  }
  return problems;
}
