/**
 * Condition operators of OSS bucket policies (vendor notes §1.6 and §1.7), one small function
 * per operator. Each compiles the policy's values once and returns a test of one request value
 * that holds when ANY policy value matches (ALI-COND-VALUES); negated operators reuse the test
 * of their positive twin and hold when NO value matches.
 */
import ipaddr from 'ipaddr.js';
import { numericEquals, numericGreaterThan, numericGreaterThanEquals, numericLessThan, numericLessThanEquals, dateEquals, dateGreaterThan, dateGreaterThanEquals, dateLessThan, dateLessThanEquals, parseIsoDate, parseNumber } from '../shared/comparisons.ts';
import { compilePatternList } from './patterns.ts';
import type { AliSemantics } from './semantics.ts';

// Numeric and date operators (and their parsers) are shared with the Huawei OBS evaluator.
export { numericEquals, numericGreaterThan, numericGreaterThanEquals, numericLessThan, numericLessThanEquals, dateEquals, dateGreaterThan, dateGreaterThanEquals, dateLessThan, dateLessThanEquals, parseIsoDate, parseNumber } from '../shared/comparisons.ts';

/** The condition operators the evaluator supports (S2 and S6; `IpAddressIncludeBorder`, set qualifiers, `...IfExists` and `Null` are refused, open questions 12 and 15). */
export const ALI_CONDITION_OPERATORS = [
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
/** One supported condition operator. */
export type AliConditionOperator = (typeof ALI_CONDITION_OPERATORS)[number];

const OPERATOR_SET: ReadonlySet<string> = new Set(ALI_CONDITION_OPERATORS);

/** Whether `name` is a supported condition operator. */
export function isConditionOperator(name: string): name is AliConditionOperator {
  return OPERATOR_SET.has(name);
}

/** A parsed IP address: IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit bigint. */
export type IpValue = { readonly version: 4; readonly value: number } | { readonly version: 6; readonly value: bigint };

/** A CIDR block (a single address is a /32 or /128 block): its first and last addresses. */
export type CidrBlock =
  | { readonly version: 4; readonly first: number; readonly last: number; readonly prefix: number; readonly text: string }
  | { readonly version: 6; readonly first: bigint; readonly last: bigint; readonly prefix: number; readonly text: string };

/**
 * Parses a dotted-quad IPv4 address into an unsigned 32-bit number, or null. Strict, like
 * ipaddr.js's `isValidFourPartDecimal`: four decimal parts of 0..255 without leading zeros.
 */
export function parseIPv4(text: string): number | null {
  const n = text.length;
  if (n < 7 || n > 15) return null;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255) return null;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null;
      part = part * 10 + (c - 48);
      digits++;
      if (digits > 3) return null;
    } else {
      return null;
    }
  }
  return parts === 4 ? value : null;
}

function hexDigit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
}

/**
 * Parses an IPv6 address (RFC 4291 text forms: `::` once, a trailing dotted quad, a zone id,
 * which is ignored) into a 128-bit bigint, or null. Hand-written because a request's address is
 * parsed on every decision that reaches an IP condition; the unit tests hold it to ipaddr.js.
 */
export function parseIPv6(text: string): bigint | null {
  let end = text.indexOf('%');
  if (end === -1) end = text.length;
  else if (end === 0 || end === text.length - 1) return null;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (end >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
  }
  while (i < end) {
    let value = 0;
    let j = i;
    for (let d = 0; j < end && (d = hexDigit(text.charCodeAt(j))) !== -1; j++) value = value * 16 + d;
    if (j < end && text.charCodeAt(j) === 46) {
      // A dotted quad may stand for the last two groups.
      const v4 = parseIPv4(text.slice(i, end));
      if (v4 === null) return null;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      break;
    }
    if (j === i || j - i > 4) return null;
    groups.push(value);
    if (j === end) break;
    if (text.charCodeAt(j) !== 58 || j + 1 === end) return null;
    j++;
    if (text.charCodeAt(j) === 58) {
      if (gap !== -1) return null;
      gap = groups.length;
      j++;
    }
    i = j;
  }
  const n = groups.length;
  if (gap === -1 ? n !== 8 : n > 7) return null;
  const missing = 8 - n;
  const at = (k: number): number => (gap === -1 || k < gap ? (groups[k] as number) : k < gap + missing ? 0 : (groups[k - missing] as number));
  const w0 = at(0) * 65536 + at(1);
  const w1 = at(2) * 65536 + at(3);
  const w2 = at(4) * 65536 + at(5);
  const w3 = at(6) * 65536 + at(7);
  return (BigInt(w0) << 96n) | (BigInt(w1) << 64n) | (BigInt(w2) << 32n) | BigInt(w3);
}

/** Parses a request's source address (IPv4 dotted quad or any IPv6 form), or null when it is not an address. */
export function parseAddress(text: string): IpValue | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === null ? null : { version: 6, value: v6 };
}

const V6_ALL = (1n << 128n) - 1n;

/**
 * Parses a policy's address or CIDR block (`203.0.113.5`, `192.168.0.0/16`, `2001:db8::/32`),
 * or null when it is neither. Host bits set below the prefix are ignored, as AWS does.
 */
export function parseCidrBlock(text: string): CidrBlock | null {
  const slash = text.indexOf('/');
  if (slash === -1) {
    const a = parseAddress(text);
    if (a === null) return null;
    return a.version === 4
      ? { version: 4, first: a.value, last: a.value, prefix: 32, text }
      : { version: 6, first: a.value, last: a.value, prefix: 128, text };
  }
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
    const o = addr.octets;
    const value = (((o[0] ?? 0) << 24) | ((o[1] ?? 0) << 16) | ((o[2] ?? 0) << 8) | (o[3] ?? 0)) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const first = (value & mask) >>> 0;
    return { version: 4, first, last: (first | (~mask >>> 0)) >>> 0, prefix, text };
  }
  if (text.includes(':') && ipaddr.IPv6.isValidCIDR(text)) {
    const [, prefix] = ipaddr.IPv6.parseCIDR(text);
    // The address goes through the same parser as request addresses: ipaddr.js reads the
    // IPv4-compatible form `::1.2.3.4` as IPv4-mapped, RFC 4291 does not.
    const address = parseIPv6(text.slice(0, slash));
    if (address === null) return null;
    const host = prefix === 128 ? 0n : V6_ALL >> BigInt(prefix);
    const first = address & (V6_ALL ^ host);
    return { version: 6, first, last: first | host, prefix, text };
  }
  return null;
}

/** Whether `address` lies in `block`, both ends included; a v4 address is never in a v6 block, nor the reverse. */
export function cidrContains(address: IpValue, block: CidrBlock): boolean {
  return address.version === block.version && address.value >= block.first && address.value <= block.last;
}

/**
 * The request side of one evaluation: the condition context, and the source address parsed at
 * most once however many IP conditions read it.
 */
export class ConditionScope {
  readonly context: Readonly<Record<string, string>> | undefined;
  #addressText: string | undefined = undefined;
  #address: IpValue | null = null;

  constructor(context: Readonly<Record<string, string>> | undefined) {
    this.context = context;
  }

  /** The request's value of `key`, or undefined when the request does not carry the key. */
  value(key: string): string | undefined {
    const context = this.context;
    if (context === undefined) return undefined;
    const v = context[key];
    // `typeof` also keeps inherited members such as `toString` from passing for values.
    return typeof v === 'string' ? v : undefined;
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
export type ValueTest = (requestValue: string, scope: ConditionScope) => boolean;

const NEVER: ValueTest = () => false;

// --- String operators (S7: Equals and Like are case-sensitive; IgnoreCase is not) ---

/** StringEquals: exact, case-sensitive equality; `*` is a literal character here (open question 13, following S7). */
export function stringEquals(values: readonly string[]): ValueTest {
  if (values.length === 1) {
    const only = values[0] as string;
    return (v) => v === only;
  }
  const set = new Set(values);
  return (v) => set.has(v);
}

/** StringEqualsIgnoreCase: equality after lower-casing both sides. */
export function stringEqualsIgnoreCase(values: readonly string[]): ValueTest {
  const set = new Set(values.map((v) => v.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
}

/** StringLike: case-sensitive wildcard match, `*` any run and `?` one character. */
export function stringLike(values: readonly string[]): ValueTest {
  const matches = compilePatternList(values);
  return (v) => matches(v);
}

// --- Numeric operators: the request value compared with each policy value ---


// --- Bool (acs:SecureTransport, acs:MFAPresent; open question 18: "true"/"false") ---

function parseBool(text: string): boolean | null {
  const t = text.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : null;
}

/** Bool: the request's `true`/`false` equals a policy value; anything else never matches. */
export function bool(values: readonly string[]): ValueTest {
  const wanted = values.map(parseBool).filter((b) => b !== null);
  if (wanted.length === 0) return NEVER;
  return (v) => {
    const r = parseBool(v);
    return r !== null && wanted.includes(r);
  };
}

// --- IP (ALI-COND-IP) ---

/**
 * IpAddress: the request's address lies in a policy block. Blocks are parsed here, once; a
 * policy value that is not an address or block (such as the seed's masked `101.***.***.100`)
 * never matches, and neither does a request value that is not an address.
 */
export function ipAddress(values: readonly string[], semantics: Pick<AliSemantics, 'inCidr'>): ValueTest {
  const blocks = values.map(parseCidrBlock).filter((b) => b !== null);
  if (blocks.length === 0) return NEVER;
  const inCidr = semantics.inCidr;
  const n = blocks.length;
  return (v, scope) => {
    const address = scope.address(v);
    if (address === null) return false;
    for (let i = 0; i < n; i++) if (inCidr(address, blocks[i] as CidrBlock)) return true;
    return false;
  };
}

/** How an operator compiles its values, and whether it is the negation of that test. */
export interface OperatorDefinition {
  readonly negated: boolean;
  readonly compile: (values: readonly string[], semantics: AliSemantics) => ValueTest;
}

const positive = (compile: OperatorDefinition['compile']): OperatorDefinition => ({ negated: false, compile });
const negated = (compile: OperatorDefinition['compile']): OperatorDefinition => ({ negated: true, compile });

/** Every operator with its positive test; a negated operator holds when its test matches no value (NOR, open question 16). */
export const OPERATORS: Readonly<Record<AliConditionOperator, OperatorDefinition>> = {
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

/** One key of one operator of a statement's Condition, compiled. */
export interface ConditionCheck {
  readonly operator: AliConditionOperator;
  readonly key: string;
  readonly values: readonly string[];
  readonly negated: boolean;
  /** Whether this operator-key pair holds for the request. */
  readonly holds: (scope: ConditionScope) => boolean;
}

/** Compiles one operator-key pair with its values (strings, as the parser normalised them). */
export function compileConditionCheck(operator: AliConditionOperator, key: string, values: readonly string[], semantics: AliSemantics): ConditionCheck {
  const definition = OPERATORS[operator];
  const test = definition.compile(values, semantics);
  // ALI-COND-MISSING-KEY (002, scenario 6): "public network requests do not have a matching VPC network prefix"
  const missing = semantics.missingKeyHolds(operator, definition.negated);
  const holds = definition.negated
    ? (scope: ConditionScope) => {
        const v = scope.value(key);
        // ALI-COND-VALUES: a negated operator holds when no value matches.
        return v === undefined ? missing : !test(v, scope);
      }
    : (scope: ConditionScope) => {
        const v = scope.value(key);
        // ALI-COND-VALUES: a positive operator holds when any value matches.
        return v === undefined ? missing : test(v, scope);
      };
  return { operator, key, values: values.slice(), negated: definition.negated, holds };
}

/** Whether a condition held, and a sentence saying why (for explanations, never the hot path). */
export interface ConditionExplanation {
  matched: boolean;
  why: string;
}

/** Explains one compiled check against a request context: the request value, the policy values, and the result. */
export function explainCondition(check: ConditionCheck, context: Readonly<Record<string, string>> | undefined): ConditionExplanation {
  const scope = new ConditionScope(context);
  const matched = check.holds(scope);
  const v = scope.value(check.key);
  const listed = check.values.map((x) => `\`${x}\``).join(', ');
  const head = `${check.operator} \`${check.key}\``;
  if (v === undefined) {
    return { matched, why: `${head}: the request has no \`${check.key}\`, so the ${check.negated ? 'negated' : 'positive'} operator ${matched ? 'holds' : 'does not hold'}` };
  }
  const word = check.negated ? (matched ? 'matches none of' : 'matches one of') : matched ? 'matches one of' : 'matches none of';
  return { matched, why: `${head}: request value \`${v}\` ${word} [${listed}], so the condition ${matched ? 'holds' : 'does not hold'}` };
}
