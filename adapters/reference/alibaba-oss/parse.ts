/**
 * Parses and validates the text of an OSS bucket policy (PutBucketPolicy) into a typed AST, or
 * into the rejection OSS gives, with its EC (vendor notes §3). Checks run in a fixed order so
 * that boundary cases are stable: size, UTF-8, JSON, top level, then statements in document
 * order (shape, field length, consecutive wildcards).
 */
import { isConditionOperator, type AliConditionOperator } from './conditions.ts';

/** Largest accepted policy, in UTF-8 bytes. The seed says "cannot exceed 16 KB", read as 16 x 1024 bytes included (open question 28). */
export const MAX_POLICY_BYTES = 16384;

/** Largest accepted string value, in UTF-8 bytes (seed: "The length of each field in a bucket policy cannot exceed 4,095 bytes"; open question 29). */
export const MAX_FIELD_BYTES = 4095;

/** The EC codes of PutBucketPolicy rejections (vendor notes §3, S8). */
export const POLICY_ECS = {
  tooLarge: '0030-00000001',
  version: '0030-00000002',
  fieldTooLong: '0030-00000003',
  notUtf8: '0030-00000004',
  invalid: '0030-00000005',
  consecutiveWildcards: '0030-00000007',
} as const;

/** One operator-key pair of a Condition; JSON numbers and booleans are kept as their string forms. */
export interface AliConditionKeyAst {
  key: string;
  values: string[];
}

/** One operator of a Condition with its keys, in document order. */
export interface AliConditionBlockAst {
  operator: AliConditionOperator;
  keys: AliConditionKeyAst[];
}

/** One validated statement. A scalar Action, Principal or Resource becomes a one-element list. */
export interface AliStatementAst {
  /** 0-based position in `Statement`. */
  index: number;
  effect: 'Allow' | 'Deny';
  actions: string[];
  /** Absent when the statement has no Principal (accepted, open question 1); `[]` is kept as written. */
  principals: string[] | undefined;
  resources: string[];
  /** Absent without a Condition; `[]` for `"Condition": {}`. */
  conditions: AliConditionBlockAst[] | undefined;
}

/** A validated policy. */
export interface AliPolicyAst {
  kind: 'policy';
  version: '1';
  statements: AliStatementAst[];
  /** Size of the submitted text in UTF-8 bytes. */
  bytes: number;
}

/** A refused policy, as PutBucketPolicy answers it (status and Code are inferred, open question 30). */
export interface AliPolicyRejection {
  kind: 'rejected';
  status: 400;
  code: 'InvalidPolicyDocument';
  ec: string;
  message: string;
  /** Rule ids of RULES.md that the refusal enforces. */
  rules: string[];
}

// Internal early exit; parsePolicy turns it into the rejection value and never throws.
class Refusal {
  readonly ec: string;
  readonly message: string;
  readonly rules: string[];
  constructor(ec: string, message: string, rules: string[]) {
    this.ec = ec;
    this.message = message;
    this.rules = rules;
  }
}

const SYNTAX = ['ALI-SYNTAX'];

function refuse(ec: string, message: string, rules: string[] = SYNTAX): never {
  throw new Refusal(ec, message, rules);
}

/** Shows user input in a message, shortened so that a 4 KB value does not flood a report. */
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

// ALI-LIMIT-FIELD (002): "The length of each field in a bucket policy cannot exceed 4,095 bytes."
function checkLength(value: string, path: string): void {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings need no counting.
  if (value.length * 3 <= MAX_FIELD_BYTES) return;
  const n = Buffer.byteLength(value, 'utf8');
  if (n > MAX_FIELD_BYTES) {
    refuse(POLICY_ECS.fieldTooLong, `\`${path}\`: value is ${n} bytes long; a field may be at most ${MAX_FIELD_BYTES} bytes`, ['ALI-LIMIT-FIELD']);
  }
}

// EC 0030-00000007 (vendor notes §1.3): consecutive `*` are refused in Action, Principal and Resource.
function checkWildcards(value: string, path: string): void {
  if (value.includes('**')) {
    refuse(POLICY_ECS.consecutiveWildcards, `\`${path}\`: value \`${shown(value)}\` contains consecutive wildcards \`**\``);
  }
}

function readList(value: unknown, path: string, options: { allowEmptyList: boolean; allowEmptyString: boolean }): string[] {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) refuse(POLICY_ECS.invalid, `\`${path}\` must be a string or a list of strings, not ${describe(value)}`);
  if (items.length === 0 && !options.allowEmptyList) refuse(POLICY_ECS.invalid, `\`${path}\` must not be an empty list`);
  const scalar = typeof value === 'string';
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    const at = scalar ? path : `${path}[${i}]`;
    if (typeof item !== 'string') refuse(POLICY_ECS.invalid, `\`${at}\` must be a string, not ${describe(item)}`);
    if (item === '' && !options.allowEmptyString) refuse(POLICY_ECS.invalid, `\`${at}\` must not be empty`);
    checkLength(item, at);
    checkWildcards(item, at);
    out.push(item);
  }
  return out;
}

function conditionValue(value: unknown, path: string): string {
  if (typeof value === 'string') {
    checkLength(value, path);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return refuse(POLICY_ECS.invalid, `\`${path}\` must be a string, a number or a boolean, not ${describe(value)}`);
}

function readCondition(value: unknown, path: string): AliConditionBlockAst[] {
  if (!isObject(value)) refuse(POLICY_ECS.invalid, `\`${path}\` must be an object of operators, not ${describe(value)}`);
  const blocks: AliConditionBlockAst[] = [];
  for (const [operator, body] of Object.entries(value)) {
    const at = `${path}.${shown(operator)}`;
    // Unknown operators, `IpAddressIncludeBorder`, `ForAnyValue:`/`ForAllValues:`, `...IfExists` and `Null`
    // are refused: no Alibaba source defines them (open questions 12 and 15).
    if (!isConditionOperator(operator)) refuse(POLICY_ECS.invalid, `\`${path}\`: unknown condition operator \`${shown(operator)}\``);
    if (!isObject(body)) refuse(POLICY_ECS.invalid, `\`${at}\` must be an object of condition keys, not ${describe(body)}`);
    const keys: AliConditionKeyAst[] = [];
    for (const [key, raw] of Object.entries(body)) {
      const keyAt = `${at}.${shown(key)}`;
      checkLength(key, keyAt);
      let values: string[];
      if (Array.isArray(raw)) {
        values = [];
        for (let i = 0; i < raw.length; i++) values.push(conditionValue(raw[i], `${keyAt}[${i}]`));
      } else {
        values = [conditionValue(raw, keyAt)];
      }
      keys.push({ key, values });
    }
    blocks.push({ operator, keys });
  }
  return blocks;
}

function readStatement(value: unknown, index: number): AliStatementAst {
  const path = `Statement[${index}]`;
  if (!isObject(value)) refuse(POLICY_ECS.invalid, `\`${path}\` must be an object, not ${describe(value)}`);
  let effect: 'Allow' | 'Deny' | undefined;
  let actions: string[] | undefined;
  let principals: string[] | undefined;
  let resources: string[] | undefined;
  let conditions: AliConditionBlockAst[] | undefined;
  for (const [key, field] of Object.entries(value)) {
    const at = `${path}.${key}`;
    switch (key) {
      case 'Effect':
        if (field !== 'Allow' && field !== 'Deny') {
          refuse(POLICY_ECS.invalid, `\`${at}\` must be \`Allow\` or \`Deny\`, not ${typeof field === 'string' ? `\`${shown(field)}\`` : describe(field)}`);
        }
        effect = field;
        break;
      case 'Action':
        actions = readList(field, at, { allowEmptyList: false, allowEmptyString: false });
        break;
      case 'Resource':
        resources = readList(field, at, { allowEmptyList: false, allowEmptyString: false });
        break;
      case 'Principal':
        // ALI-EMPTY-PRINCIPAL (002): "If the Principal field is configured as an empty list (Principal:[]) ..." so `[]` is valid.
        principals = readList(field, at, { allowEmptyList: true, allowEmptyString: true });
        break;
      case 'Condition':
        conditions = readCondition(field, at);
        break;
      default:
        // Sid, NotAction, NotResource, NotPrincipal and anything else: no Alibaba source defines them (open question 2).
        refuse(POLICY_ECS.invalid, `\`${path}\`: unknown field \`${shown(key)}\``);
    }
  }
  // ALI-SYNTAX (002): "Each authorization statement includes an Effect, an Action, a Principal, a Resource, and a Condition."
  // Principal may be left out (open question 1: real OSS accepts it); Condition is optional.
  if (effect === undefined) refuse(POLICY_ECS.invalid, `\`${path}\`: missing field \`Effect\``);
  if (actions === undefined) refuse(POLICY_ECS.invalid, `\`${path}\`: missing field \`Action\``);
  if (resources === undefined) refuse(POLICY_ECS.invalid, `\`${path}\`: missing field \`Resource\``);
  return { index, effect, actions, principals, resources, conditions };
}

function readDocument(doc: unknown, bytes: number): AliPolicyAst {
  if (!isObject(doc)) refuse(POLICY_ECS.invalid, `policy must be a JSON object, not ${describe(doc)}`);
  for (const key of Object.keys(doc)) {
    if (key !== 'Version' && key !== 'Statement') refuse(POLICY_ECS.invalid, `unknown top-level field \`${shown(key)}\``);
  }
  // ALI-VERSION (002): "The value is fixed at 1 and cannot be changed." The integer 1 is a syntax error (S8, EC 0030-00000005).
  if (!('Version' in doc)) refuse(POLICY_ECS.invalid, 'missing field `Version`', ['ALI-SYNTAX', 'ALI-VERSION']);
  const version = doc['Version'];
  if (typeof version !== 'string') refuse(POLICY_ECS.invalid, `\`Version\` must be the string "1", not ${describe(version)}`, ['ALI-SYNTAX', 'ALI-VERSION']);
  if (version !== '1') refuse(POLICY_ECS.version, `unsupported \`Version\` \`${shown(version)}\`; the only version is \`1\``, ['ALI-VERSION']);
  if (!('Statement' in doc)) refuse(POLICY_ECS.invalid, 'missing field `Statement`');
  const list = doc['Statement'];
  if (!Array.isArray(list)) refuse(POLICY_ECS.invalid, `\`Statement\` must be a list of statements, not ${describe(list)}`);
  if (list.length === 0) refuse(POLICY_ECS.invalid, '`Statement` must not be an empty list');
  const statements = list.map((s: unknown, i: number) => readStatement(s, i));
  return { kind: 'policy', version: '1', statements, bytes };
}

// `ignoreBOM` keeps a byte-order mark, so that bytes and the equivalent string are refused alike by JSON.parse.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses and validates policy text (a string, or raw bytes that must be UTF-8). Returns the AST
 * or the rejection; never throws.
 */
export function parsePolicy(text: string | Uint8Array): AliPolicyAst | AliPolicyRejection {
  try {
    const bytes = typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.byteLength;
    // ALI-LIMIT-SIZE (002): "The total size of all policies cannot exceed 16 KB." Checked first, before anything is decoded.
    if (bytes > MAX_POLICY_BYTES) {
      refuse(POLICY_ECS.tooLarge, `policy is ${bytes} bytes long; a bucket's policies may be at most ${MAX_POLICY_BYTES} bytes`, ['ALI-LIMIT-SIZE']);
    }
    let source: string;
    if (typeof text === 'string') {
      source = text;
    } else {
      try {
        source = UTF8.decode(text);
      } catch {
        refuse(POLICY_ECS.notUtf8, 'policy is not valid UTF-8');
      }
    }
    let doc: unknown;
    try {
      doc = JSON.parse(source);
    } catch (error) {
      refuse(POLICY_ECS.invalid, `policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return readDocument(doc, bytes);
  } catch (error) {
    if (error instanceof Refusal) {
      return { kind: 'rejected', status: 400, code: 'InvalidPolicyDocument', ec: error.ec, message: error.message, rules: error.rules.slice() };
    }
    throw error;
  }
}
