/**
 * Stable codes of the configuration and harness errors (family 1 of the house style). These are
 * thrown before any test runs; nonconformance and infrastructure faults are verdicts, never
 * errors.
 */
export const ERROR_CODES = [
  'CONFORMANCE_SPEC_YAML_SYNTAX',
  'CONFORMANCE_SPEC_UNKNOWN_FIELD',
  'CONFORMANCE_SPEC_MISSING_FIELD',
  'CONFORMANCE_SPEC_INVALID_VALUE',
  'CONFORMANCE_SPEC_UNKNOWN_RULE_ID',
  'CONFORMANCE_SPEC_UNKNOWN_CAPABILITY',
  'CONFORMANCE_SPEC_UNKNOWN_PROPERTY',
  'CONFORMANCE_SPEC_STATUS_MISMATCH',
  'CONFORMANCE_SPEC_QUOTE_NOT_IN_SEED',
  'CONFORMANCE_SPEC_DUPLICATE_ID',
  'CONFORMANCE_SPEC_WRONG_PLACE',
  'CONFORMANCE_SPEC_NO_RULES',
  'CONFORMANCE_SPEC_MATRIX_COVERAGE',
  'CONFORMANCE_UNKNOWN_ADAPTER',
  'CONFORMANCE_ADAPTER_LOAD',
  'CONFORMANCE_USAGE',
  'CONFORMANCE_INPUT',
  'CONFORMANCE_TARGET_CONFIG',
  'CONFORMANCE_BUDGET',
] as const;
/** One stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where in a file a problem is: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * A configuration or harness error with a stable `code`. The message follows cedar's style:
 * location first, lower case, user input in backticks, no final period.
 */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
  readonly code: ErrorCode;
  readonly location: SourceLocation | undefined;
  readonly ruleId: string | undefined;

  constructor(code: ErrorCode, message: string, options: { location?: SourceLocation; ruleId?: string; cause?: unknown } = {}) {
    const where = options.location ? `${options.location.file}:${options.location.line}:${options.location.column}: ` : '';
    const rule = options.ruleId ? ` (rule ${options.ruleId})` : '';
    super(`${where}${message}${rule}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.ruleId = options.ruleId;
  }
}

/** Whether `error` is a ConformanceError, matched by its code rather than `instanceof` (undici's habit). */
export function isConformanceError(error: unknown): error is ConformanceError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    && (ERROR_CODES as readonly string[]).includes((error as { code: string }).code);
}

/** Several configuration errors found in one pass, so that a user sees all of them at once. */
export class ConformanceErrors extends Error {
  override name = 'ConformanceErrors';
  readonly code: ErrorCode;
  readonly errors: readonly ConformanceError[];

  constructor(errors: readonly ConformanceError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.errors = errors;
    this.code = errors[0]?.code ?? 'CONFORMANCE_INPUT';
  }
}
