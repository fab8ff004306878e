import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConformanceError } from '../model/errors.ts';
import { MATRIX_FORMAT, type MatrixReport } from './matrix.ts';
import { REPORT_FORMAT, type RunReport } from './report.ts';

/**
 * The published JSON Schemas of `report.json` (reports/schema/report.schema.json) and of a
 * matrix (reports/schema/matrix.schema.json), and a parser that checks a report file against
 * them before any command reads it.
 */

/** Where the schema of `report.json` is. */
export const REPORT_SCHEMA_PATH = new URL('./schema/report.schema.json', import.meta.url);
/** Where the schema of a matrix's `report.json` is. */
export const MATRIX_SCHEMA_PATH = new URL('./schema/matrix.schema.json', import.meta.url);

let validators: { report: ValidateFunction; matrix: ValidateFunction } | undefined;

/** The compiled validators of both schemas (the matrix schema refers to the report schema's definitions). */
export function reportValidators(): { report: ValidateFunction; matrix: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addSchema(JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as object);
    ajv.addSchema(JSON.parse(readFileSync(MATRIX_SCHEMA_PATH, 'utf8')) as object);
    validators = { report: ajv.getSchema('report.schema.json')!, matrix: ajv.getSchema('matrix.schema.json')! };
  }
  return validators;
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') return `${where}: unknown field \`${String(e.params['additionalProperty'])}\``;
  if (e.keyword === 'enum') return `${where}: ${e.message ?? 'invalid value'} (${(e.params['allowedValues'] as unknown[]).join(', ')})`;
  return `${where}: ${e.message ?? 'invalid'}`;
}

/**
 * Parses the text of a `report.json` (of a run or of a matrix) and checks it against its schema.
 * Throws a ConformanceError `CONFORMANCE_INPUT` naming `file` and the first problems found.
 */
export function parseReport(text: string, file: string): RunReport | MatrixReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  const format = typeof value === 'object' && value !== null ? (value as { format?: unknown }).format : undefined;
  if (format !== REPORT_FORMAT && format !== MATRIX_FORMAT) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: not a bucket-conformance report: \`format\` is \`${String(format)}\`, expected \`${REPORT_FORMAT}\` or \`${MATRIX_FORMAT}\``);
  }
  const validate = format === REPORT_FORMAT ? reportValidators().report : reportValidators().matrix;
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    const shown = errors.slice(0, 5).map(describeError).join('; ');
    throw new ConformanceError('CONFORMANCE_INPUT', `${file}: does not match the ${format} schema: ${shown}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}`);
  }
  return value as RunReport | MatrixReport;
}
