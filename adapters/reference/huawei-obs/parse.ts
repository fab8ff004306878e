/**
 * Parses and validates the text of an OBS bucket policy (PutBucketPolicy) into a typed AST, or
 * into the rejection OBS gives (vendor notes §1, §4): more than 20 KB is `EntityTooLarge`,
 * anything malformed is `MalformedPolicy`, both 400. Checks run in a fixed order so that
 * boundary cases are stable: size, UTF-8, JSON, top level, then statements in document order.
 */
import { ConformanceError } from '../../../model/errors.ts';
import { OBS_MAX_POLICY_BYTES } from '../../../model/huawei-obs/types.ts';
import { conditionOperator, type ObsConditionOperator } from './conditions.ts';

/** The error codes of a refused policy (vendor notes §4, O18). */
export type ObsPolicyErrorCode = 'MalformedPolicy' | 'EntityTooLarge';

/**
 * One entry of a Principal (vendor notes §1.3): everyone (`*`), an account and all its IAM users
 * (`domain/<account>:user/*`), the account itself (`domain/<account>`, `domain/<account>:root`),
 * one IAM user (`domain/<account>:user/<user>`), or a documented form that names none of the
 * principals a request can carry (agencies, `Federated`, `Service`).
 */
export type ObsPrincipalIdAst =
  | { kind: 'everyone' }
  | { kind: 'account-users'; account: string }
  | { kind: 'account'; account: string }
  | { kind: 'user'; account: string; user: string }
  | { kind: 'unmatched'; text: string };

/** A statement's Principal or NotPrincipal. */
export interface ObsPrincipalAst {
  not: boolean;
  ids: ObsPrincipalIdAst[];
}

/** A statement's Action/NotAction or Resource/NotResource: a list of patterns. */
export interface ObsPatternsAst {
  not: boolean;
  patterns: string[];
}

/** One operator-key pair of a Condition; JSON numbers and booleans are kept as their string forms. */
export interface ObsConditionKeyAst {
  key: string;
  values: string[];
}

/** One operator of a Condition with its keys, in document order. */
export interface ObsConditionBlockAst {
  operator: ObsConditionOperator;
  /** The operator as written (a long name or a short form). */
  written: string;
  keys: ObsConditionKeyAst[];
}

/** One validated statement. A scalar Action, Resource or ID becomes a one-element list. */
export interface ObsStatementAst {
  /** 0-based position in `Statement`. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal: ObsPrincipalAst;
  action: ObsPatternsAst;
  resource: ObsPatternsAst;
  /** Absent without a Condition; `[]` for `"Condition": {}`. */
  conditions?: ObsConditionBlockAst[];
}

/** A validated policy. */
export interface ObsPolicyAst {
  kind: 'policy';
  version?: string;
  id?: string;
  statements: ObsStatementAst[];
  /** Size of the submitted text in UTF-8 bytes. */
  bytes: number;
}

/** A refused policy, as PutBucketPolicy answers it. */
export interface ObsPolicyRejection {
  kind: 'rejected';
  status: 400;
  code: ObsPolicyErrorCode;
  message: string;
  /** Rule ids that the refusal enforces. */
  rules: string[];
}

// Internal early exit; parseObsPolicy turns it into the rejection value and never throws.
class Refusal {
  readonly code: ObsPolicyErrorCode;
  readonly message: string;
  readonly rules: string[];
  constructor(code: ObsPolicyErrorCode, message: string, rules: string[]) {
    this.code = code;
    this.message = message;
    this.rules = rules;
  }
}

function refuse(message: string): never {
  // OBS-SYNTAX (003): the statements' shape; vendor notes §4: "MalformedPolicy 400 The bucket policy does not pass".
  throw new Refusal('MalformedPolicy', message, ['OBS-SYNTAX']);
}

/** Shows user input in a message, shortened so that a long value does not flood a report. */
function shown(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or a non-empty list of non-empty strings (O7, O10: "Resource may be a string or an array"). */
function readList(value: unknown, path: string): string[] {
  const scalar = typeof value === 'string';
  const items = scalar ? [value] : value;
  if (!Array.isArray(items)) refuse(`\`${path}\` must be a string or a list of strings, not ${describe(value)}`);
  if (items.length === 0) refuse(`\`${path}\` must not be an empty list`);
  return items.map((item: unknown, i: number) => {
    const at = scalar ? path : `${path}[${i}]`;
    if (typeof item !== 'string') refuse(`\`${at}\` must be a string, not ${describe(item)}`);
    if (item === '') refuse(`\`${at}\` must not be empty`);
    return item;
  });
}

// Vendor notes §1.3, from O1, O7, O8, O10. Account ids and user names are compared exactly ("User names in the
// Principal element are case-sensitive", O1).
const ACCOUNT = /^domain\/([^:/]+)$/;
const ROOT = /^domain\/([^:/]+):root$/;
const USER = /^domain\/([^:/]+):user\/(.+)$/;
const AGENCY = /^domain\/([^:/]+):agency\/(.+)$/;

function readId(text: string, path: string): ObsPrincipalIdAst {
  if (text === '*') return { kind: 'everyone' };
  let m = ACCOUNT.exec(text) ?? ROOT.exec(text);
  if (m) return { kind: 'account', account: m[1] as string };
  m = USER.exec(text);
  if (m) return m[2] === '*' ? { kind: 'account-users', account: m[1] as string } : { kind: 'user', account: m[1] as string, user: m[2] as string };
  if (AGENCY.test(text)) return { kind: 'unmatched', text };
  return refuse(`\`${path}\`: \`${shown(text)}\` is not a principal; use \`*\`, \`domain/<account>\`, \`domain/<account>:root\`, \`domain/<account>:user/*\`, \`domain/<account>:user/<user>\` or \`domain/<account>:agency/<name>\``);
}

// Principal keys of vendor notes §1.3; `Federated` and `Service` are documented, and name none of our principals.
const PRINCIPAL_KEYS = ['ID', 'Federated', 'Service'];

function readPrincipal(value: unknown, path: string, not: boolean): ObsPrincipalAst {
  // Vendor notes §1.3: `"Principal": "*"` is everyone, including anonymous.
  if (value === '*') return { not, ids: [{ kind: 'everyone' }] };
  if (!isObject(value)) {
    refuse(`\`${path}\` must be \`"*"\` or an object such as \`{"ID": [...]}\`, not ${typeof value === 'string' ? `\`${shown(value)}\`` : describe(value)}`);
  }
  const keys = Object.keys(value);
  if (keys.length === 0) refuse(`\`${path}\` names no principal`);
  const ids: ObsPrincipalIdAst[] = [];
  for (const key of keys) {
    const at = `${path}.${key}`;
    if (!PRINCIPAL_KEYS.includes(key)) refuse(`\`${path}\`: unknown principal type \`${shown(key)}\`; use ${PRINCIPAL_KEYS.map((k) => `\`${k}\``).join(', ')}`);
    const entries = readList(value[key], at);
    const scalar = typeof value[key] === 'string';
    entries.forEach((text, i) => {
      const entryAt = scalar ? at : `${at}[${i}]`;
      ids.push(key === 'ID' ? readId(text, entryAt) : { kind: 'unmatched', text });
    });
  }
  return { not, ids };
}

function conditionValue(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return refuse(`\`${path}\` must be a string, a number or a boolean, not ${describe(value)}`);
}

function readCondition(value: unknown, path: string): ObsConditionBlockAst[] {
  if (!isObject(value)) refuse(`\`${path}\` must be an object of operators, not ${describe(value)}`);
  const blocks: ObsConditionBlockAst[] = [];
  for (const [written, body] of Object.entries(value)) {
    const at = `${path}.${shown(written)}`;
    // OBS-CONDITIONS (003); the operators of O1's table, by long name or short form. Anything else is refused.
    const operator = conditionOperator(written);
    if (operator === undefined) refuse(`\`${path}\`: unknown condition operator \`${shown(written)}\``);
    if (!isObject(body)) refuse(`\`${at}\` must be an object of condition keys, not ${describe(body)}`);
    // Key names are case-insensitive; O1: "If a condition operator corresponds to multiple identical keys, only the
    // last key is retained".
    const byName = new Map<string, ObsConditionKeyAst>();
    for (const [key, raw] of Object.entries(body)) {
      const keyAt = `${at}.${shown(key)}`;
      if (key === '') refuse(`\`${at}\`: a condition key must not be empty`);
      let values: string[];
      if (Array.isArray(raw)) {
        if (raw.length === 0) refuse(`\`${keyAt}\` must not be an empty list`);
        values = raw.map((v: unknown, i: number) => conditionValue(v, `${keyAt}[${i}]`));
      } else {
        values = [conditionValue(raw, keyAt)];
      }
      const name = key.toLowerCase();
      byName.delete(name);
      byName.set(name, { key, values });
    }
    blocks.push({ operator, written, keys: [...byName.values()] });
  }
  return blocks;
}

/** Reads exactly one of a pair such as Action/NotAction (O1: "A statement must contain Action or NotAction, ..."). */
function onlyOne(statement: Record<string, unknown>, path: string, name: string): { not: boolean; value: unknown } {
  const notName = `Not${name}`;
  const has = name in statement;
  const hasNot = notName in statement;
  if (has && hasNot) refuse(`\`${path}\`: give \`${name}\` or \`${notName}\`, not both`);
  if (!has && !hasNot) refuse(`\`${path}\`: missing field \`${name}\` (or \`${notName}\`)`);
  return has ? { not: false, value: statement[name] } : { not: true, value: statement[notName] };
}

const STATEMENT_FIELDS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

function readStatement(value: unknown, index: number): ObsStatementAst {
  const path = `Statement[${index}]`;
  if (!isObject(value)) refuse(`\`${path}\` must be an object, not ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!STATEMENT_FIELDS.includes(key)) refuse(`\`${path}\`: unknown field \`${shown(key)}\``);
  }
  const statement: ObsStatementAst = {
    index,
    effect: 'Allow',
    principal: { not: false, ids: [] },
    action: { not: false, patterns: [] },
    resource: { not: false, patterns: [] },
  };
  if ('Sid' in value) {
    const sid = value['Sid'];
    if (typeof sid !== 'string') refuse(`\`${path}.Sid\` must be a string, not ${describe(sid)}`);
    statement.sid = sid;
  }
  // Vendor notes §1.2: `Effect` is mandatory, `Allow` or `Deny`.
  if (!('Effect' in value)) refuse(`\`${path}\`: missing field \`Effect\``);
  const effect = value['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    refuse(`\`${path}.Effect\` must be \`Allow\` or \`Deny\`, not ${typeof effect === 'string' ? `\`${shown(effect)}\`` : describe(effect)}`);
  }
  statement.effect = effect;
  const principal = onlyOne(value, path, 'Principal');
  statement.principal = readPrincipal(principal.value, `${path}.${principal.not ? 'NotPrincipal' : 'Principal'}`, principal.not);
  const action = onlyOne(value, path, 'Action');
  statement.action = { not: action.not, patterns: readList(action.value, `${path}.${action.not ? 'NotAction' : 'Action'}`) };
  const resource = onlyOne(value, path, 'Resource');
  statement.resource = { not: resource.not, patterns: readList(resource.value, `${path}.${resource.not ? 'NotResource' : 'Resource'}`) };
  if ('Condition' in value) statement.conditions = readCondition(value['Condition'], `${path}.Condition`);
  return statement;
}

function readDocument(doc: unknown, bytes: number): ObsPolicyAst {
  if (!isObject(doc)) refuse(`policy must be a JSON object, not ${describe(doc)}`);
  // Vendor notes §1.1: `{"Statement": [...]}`, with optional `Version` and `Id`.
  for (const key of Object.keys(doc)) {
    if (key !== 'Statement' && key !== 'Version' && key !== 'Id') refuse(`unknown top-level field \`${shown(key)}\``);
  }
  const policy: ObsPolicyAst = { kind: 'policy', statements: [], bytes };
  for (const key of ['Version', 'Id'] as const) {
    if (!(key in doc)) continue;
    const v = doc[key];
    if (typeof v !== 'string') refuse(`\`${key}\` must be a string, not ${describe(v)}`);
    if (key === 'Version') policy.version = v;
    else policy.id = v;
  }
  if (!('Statement' in doc)) refuse('missing field `Statement`');
  const list = doc['Statement'];
  if (!Array.isArray(list)) refuse(`\`Statement\` must be a list of statements, not ${describe(list)}`);
  // Vendor notes §1.1: "one or more statements".
  if (list.length === 0) refuse('`Statement` must not be an empty list');
  policy.statements = list.map((s: unknown, i: number) => readStatement(s, i));
  return policy;
}

// `ignoreBOM` keeps a byte-order mark, so that bytes and the equivalent string are refused alike by JSON.parse.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The size of policy text in UTF-8 bytes, as it is submitted. */
export function policyBytes(text: string | Uint8Array): number {
  return typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.byteLength;
}

/**
 * Parses and validates policy text (a string, or raw bytes that must be UTF-8). Returns the AST
 * or the rejection; never throws. `maxBytes` is the size limit (20 KB unless given).
 */
export function parseObsPolicy(text: string | Uint8Array, options: { maxBytes?: number } = {}): ObsPolicyAst | ObsPolicyRejection {
  const maxBytes = options.maxBytes ?? OBS_MAX_POLICY_BYTES;
  try {
    const bytes = policyBytes(text);
    // OBS-LIMIT-SIZE (003): "the total size of JSON descriptions of all bucket policies in a bucket cannot exceed 20 KB".
    // Vendor notes §9: EntityTooLarge or MalformedPolicy is not stated; O18's EntityTooLarge covers "The size of the
    // bucket configurations exceeds 20 KB". Checked first, before anything is decoded.
    if (bytes > maxBytes) {
      throw new Refusal('EntityTooLarge', `policy is ${bytes} bytes long; a bucket policy may be at most ${maxBytes} bytes`, ['OBS-LIMIT-SIZE']);
    }
    let source: string;
    if (typeof text === 'string') {
      source = text;
    } else {
      try {
        source = UTF8.decode(text);
      } catch {
        refuse('policy is not valid UTF-8');
      }
    }
    let doc: unknown;
    try {
      doc = JSON.parse(source);
    } catch (error) {
      refuse(`policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return readDocument(doc, bytes);
  } catch (error) {
    if (error instanceof Refusal) return { kind: 'rejected', status: 400, code: error.code, message: error.message, rules: error.rules.slice() };
    throw error;
  }
}

/**
 * The policy text a world or a PutBucketPolicy submits: a string or raw bytes verbatim, any
 * other value as compact JSON. Throws CONFORMANCE_INPUT for a value with no JSON form.
 */
export function policyText(policy: unknown, what: string): string | Uint8Array {
  if (typeof policy === 'string' || policy instanceof Uint8Array) return policy;
  let text: string | undefined;
  try {
    text = JSON.stringify(policy);
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `${what} cannot be serialized as JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // JSON.stringify gives undefined for functions, symbols and undefined: there is no text to submit.
  if (text === undefined) throw new ConformanceError('CONFORMANCE_INPUT', `${what} of type \`${typeof policy}\` cannot be serialized as JSON`);
  return text;
}
