/**
 * Numeric and date condition operators shared by the policy evaluators (Alibaba OSS and Huawei
 * OBS document the same operators): a request value against each policy value, OR-ed. A value
 * that is not a number (or not an ISO 8601 date) matches nothing, on either side.
 */

/** A test of a request's value, for one condition entry. */
export type ValuePredicate = (requestValue: string) => boolean;

const NEVER: ValuePredicate = () => false;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number, or NaN; stricter than `Number()`, which reads `''` as 0 and `0x10` as 16. */
export function parseNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

function numeric(compare: (request: number, policy: number) => boolean): (values: readonly string[]) => ValuePredicate {
  return (values) => {
    const numbers = values.map(parseNumber).filter((n) => !Number.isNaN(n));
    if (numbers.length === 0) return NEVER;
    return (v) => {
      const r = parseNumber(v);
      if (Number.isNaN(r)) return false;
      for (const n of numbers) if (compare(r, n)) return true;
      return false;
    };
  };
}

/** NumericEquals: the request number equals a policy number. */
export const numericEquals = numeric((r, p) => r === p);
/** NumericLessThan: the request number is below a policy number. */
export const numericLessThan = numeric((r, p) => r < p);
/** NumericLessThanEquals: the request number is at most a policy number. */
export const numericLessThanEquals = numeric((r, p) => r <= p);
/** NumericGreaterThan: the request number is above a policy number. */
export const numericGreaterThan = numeric((r, p) => r > p);
/** NumericGreaterThanEquals: the request number is at least a policy number. */
export const numericGreaterThanEquals = numeric((r, p) => r >= p);

// --- Date operators: ISO 8601 only (open question 14) ---

// A time without a zone would be read in the host's zone, so a time part must carry Z or an offset.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Milliseconds since the epoch of an ISO 8601 date or date-time, or NaN. */
export function parseIsoDate(text: string): number {
  return ISO_DATE.test(text) ? Date.parse(text) : Number.NaN;
}

function date(compare: (request: number, policy: number) => boolean): (values: readonly string[]) => ValuePredicate {
  return (values) => {
    const times = values.map(parseIsoDate).filter((t) => !Number.isNaN(t));
    if (times.length === 0) return NEVER;
    return (v) => {
      const r = parseIsoDate(v);
      if (Number.isNaN(r)) return false;
      for (const t of times) if (compare(r, t)) return true;
      return false;
    };
  };
}

/** DateEquals: the request time equals a policy time. */
export const dateEquals = date((r, p) => r === p);
/** DateLessThan: the request time is before a policy time. */
export const dateLessThan = date((r, p) => r < p);
/** DateLessThanEquals: the request time is at or before a policy time. */
export const dateLessThanEquals = date((r, p) => r <= p);
/** DateGreaterThan: the request time is after a policy time. */
export const dateGreaterThan = date((r, p) => r > p);
/** DateGreaterThanEquals: the request time is at or after a policy time. */
export const dateGreaterThanEquals = date((r, p) => r >= p);
