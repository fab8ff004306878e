/**
 * Condition operators of OBS bucket policies (vendor notes §1.6, O1), one small function per
 * operator. Each compiles the policy's values once and returns a test of one request value
 * that holds when ANY policy value matches: "the request IP address range is cidr1 or cidr2"
 * (O1). A negated operator reuses its positive twin's test and holds when NO value matches.
 * Addresses, CIDR blocks, numbers and ISO 8601 dates are read by the Alibaba evaluator's
 * parsers, which implement the same RFCs.
 */
import { cidrContains, parseAddress, parseCidrBlock, type CidrBlock, type IpValue } from '../alibaba-oss/conditions.ts';
import {
  dateEquals,
  dateGreaterThan,
  dateGreaterThanEquals,
  dateLessThan,
  dateLessThanEquals,
  numericEquals,
  numericGreaterThan,
  numericGreaterThanEquals,
  numericLessThan,
  numericLessThanEquals,
} from '../shared/comparisons.ts';
import { compileLikePattern, type StringMatcher } from './patterns.ts';

export { cidrContains, parseAddress, parseCidrBlock, type CidrBlock, type IpValue };

/** The condition operators of O1, by their long names. */
export const OBS_CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'IpAddress',
  'NotIpAddress',
] as const;
/** One operator, by its long name. */
export type ObsConditionOperator = (typeof OBS_CONDITION_OPERATORS)[number];

/** The short forms of O1's operator table ("StringEquals (streq)", ...); Bool and the IP operators have none. */
export const OBS_OPERATOR_SHORT_FORMS: Readonly<Record<string, ObsConditionOperator>> = Object.freeze({
  streq: 'StringEquals',
  strneq: 'StringNotEquals',
  streqi: 'StringEqualsIgnoreCase',
  strneqi: 'StringNotEqualsIgnoreCase',
  strl: 'StringLike',
  strnl: 'StringNotLike',
  numeq: 'NumericEquals',
  numneq: 'NumericNotEquals',
  numlt: 'NumericLessThan',
  numlteq: 'NumericLessThanEquals',
  numgt: 'NumericGreaterThan',
  numgteq: 'NumericGreaterThanEquals',
  dateeq: 'DateEquals',
  dateneq: 'DateNotEquals',
  datelt: 'DateLessThan',
  datelteq: 'DateLessThanEquals',
  dategt: 'DateGreaterThan',
  dategteq: 'DateGreaterThanEquals',
});

const LONG_NAMES: ReadonlySet<string> = new Set(OBS_CONDITION_OPERATORS);

/** The operator a policy names, by its long name or its short form (both exactly as O1 spells them), or undefined. */
export function conditionOperator(name: string): ObsConditionOperator | undefined {
  if (LONG_NAMES.has(name)) return name as ObsConditionOperator;
  return Object.hasOwn(OBS_OPERATOR_SHORT_FORMS, name) ? OBS_OPERATOR_SHORT_FORMS[name] : undefined;
}

/**
 * The request side of one evaluation: the condition context with its key names lower-cased
 * (key names are case-insensitive), and the source address parsed at most once.
 */
export class ObsConditionScope {
  readonly #values: ReadonlyMap<string, string>;
  #addressText: string | undefined = undefined;
  #address: IpValue | null = null;

  constructor(context: Readonly<Record<string, string>> | undefined) {
    const values = new Map<string, string>();
    if (context !== undefined) for (const [k, v] of Object.entries(context)) if (typeof v === 'string') values.set(k.toLowerCase(), v);
    this.#values = values;
  }

  /** The request's value of `key` (any case), or undefined when the request does not carry it. */
  value(key: string): string | undefined {
    return this.#values.get(key.toLowerCase());
  }

  /** `text` parsed as an address, cached for the rest of the evaluation. */
  address(text: string): IpValue | null {
    if (text !== this.#addressText) {
      this.#addressText = text;
      this.#address = parseAddress(text);
    }
    return this.#address;
  }
}

/** A compiled positive test: whether one request value matches any of the policy's values. */
export type ValueTest = (requestValue: string, scope: ObsConditionScope) => boolean;

const NEVER: ValueTest = () => false;

/** What an operator's compilation may depend on: the semantics entries about values. */
export interface ValueSemantics {
  readonly stringLikeIgnoresCase: boolean;
  readonly inCidr: (address: IpValue, block: CidrBlock) => boolean;
}

// --- String operators ---

/** StringEquals: exact, case-sensitive equality. */
export function stringEquals(values: readonly string[]): ValueTest {
  const set = new Set(values);
  return (v) => set.has(v);
}

/** StringEqualsIgnoreCase: equality after lower-casing both sides. */
export function stringEqualsIgnoreCase(values: readonly string[]): ValueTest {
  const set = new Set(values.map((v) => v.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
}

/**
 * StringLike: `*` any run, `?` one character. O1: "Loose case-sensitive matching"; the
 * S3-compatible guide says case-insensitive (CONFLICT, vendor notes §1.6): a semantics entry.
 */
export function stringLike(values: readonly string[], semantics: ValueSemantics): ValueTest {
  const matchers: StringMatcher[] = values.map((v) => compileLikePattern(v, { ignoreCase: semantics.stringLikeIgnoresCase }));
  return (v) => {
    for (const m of matchers) if (m(v)) return true;
    return false;
  };
}

// --- Numeric and date operators (O1; ISO 8601 dates): shared with the Alibaba evaluator ---


// --- Bool (SecureTransport) ---

/** O1 on SecureTransport: "either true or false. Any other values you enter will become false". */
function truth(text: string): boolean {
  return text.toLowerCase() === 'true';
}

/** Bool: the request's truth value equals a policy value's. */
export function bool(values: readonly string[]): ValueTest {
  const wanted = new Set(values.map(truth));
  return (v) => wanted.has(truth(v));
}

// --- IP (SourceIp: "CIDR per RFC 4632", O2) ---

/**
 * IpAddress: the request's address lies in a policy block (a single address is a /32 or /128
 * block; both ends of a block are inside it). A policy value that is neither never matches, nor
 * does a request value that is not an address.
 */
export function ipAddress(values: readonly string[], semantics: ValueSemantics): ValueTest {
  const blocks = values.map(parseCidrBlock).filter((b) => b !== null);
  if (blocks.length === 0) return NEVER;
  const inCidr = semantics.inCidr;
  return (v, scope) => {
    const address = scope.address(v);
    if (address === null) return false;
    for (const b of blocks) if (inCidr(address, b)) return true;
    return false;
  };
}

/** How an operator compiles its values, and whether it is the negation of that test. */
interface OperatorDefinition {
  readonly negated: boolean;
  readonly compile: (values: readonly string[], semantics: ValueSemantics) => ValueTest;
}

const positive = (compile: OperatorDefinition['compile']): OperatorDefinition => ({ negated: false, compile });
const negated = (compile: OperatorDefinition['compile']): OperatorDefinition => ({ negated: true, compile });

/** Every operator with its positive test; a negated operator holds when its test matches no value. */
const OPERATORS: Readonly<Record<ObsConditionOperator, OperatorDefinition>> = {
  StringEquals: positive(stringEquals),
  StringNotEquals: negated(stringEquals),
  StringEqualsIgnoreCase: positive(stringEqualsIgnoreCase),
  StringNotEqualsIgnoreCase: negated(stringEqualsIgnoreCase),
  StringLike: positive(stringLike),
  StringNotLike: negated(stringLike),
  NumericEquals: positive(numericEquals),
  NumericNotEquals: negated(numericEquals),
  NumericLessThan: positive(numericLessThan),
  NumericLessThanEquals: positive(numericLessThanEquals),
  NumericGreaterThan: positive(numericGreaterThan),
  NumericGreaterThanEquals: positive(numericGreaterThanEquals),
  DateEquals: positive(dateEquals),
  DateNotEquals: negated(dateEquals),
  DateLessThan: positive(dateLessThan),
  DateLessThanEquals: positive(dateLessThanEquals),
  DateGreaterThan: positive(dateGreaterThan),
  DateGreaterThanEquals: positive(dateGreaterThanEquals),
  Bool: positive(bool),
  IpAddress: positive(ipAddress),
  NotIpAddress: negated(ipAddress),
};

/** Whether an operator is a negated one (StringNot*, NumericNotEquals, DateNotEquals, NotIpAddress). */
export function isNegated(operator: ObsConditionOperator): boolean {
  return OPERATORS[operator].negated;
}

/** One key of one operator of a statement's Condition, compiled. */
export interface ObsConditionCheck {
  readonly operator: ObsConditionOperator;
  readonly key: string;
  readonly values: readonly string[];
  readonly negated: boolean;
  /** Whether this operator-key pair holds for the request. */
  readonly holds: (scope: ObsConditionScope) => boolean;
}

/**
 * Compiles one operator-key pair. `missing` says whether it holds when the request does not
 * carry the key (a semantics entry: positive operators do not, negated ones do).
 */
export function compileConditionCheck(operator: ObsConditionOperator, key: string, values: readonly string[], semantics: ValueSemantics, missing: boolean): ObsConditionCheck {
  const definition = OPERATORS[operator];
  const test = definition.compile(values, semantics);
  const holds = definition.negated
    ? (scope: ObsConditionScope) => {
        const v = scope.value(key);
        return v === undefined ? missing : !test(v, scope);
      }
    : (scope: ObsConditionScope) => {
        const v = scope.value(key);
        return v === undefined ? missing : test(v, scope);
      };
  return { operator, key, values: values.slice(), negated: definition.negated, holds };
}
