/**
 * Bucket-policy text as the live adapter submits it: the world's policy with every name rewritten
 * to the target's (bucket names under the world prefix, principals to real identities, AccessKey
 * ids in `acs:AccessId` conditions), changed in place so that everything else (formatting, key
 * order, duplicate keys, escapes, invalid parts) reaches the target byte for byte. A text that is
 * not JSON is submitted verbatim: it names nothing to rewrite and the target refuses it anyway.
 */

/** One step of the path to a JSON value: an object key or an array index. */
export type JsonPathStep = string | number;

/** A string literal of a JSON text, where it is and what it decodes to. */
export interface JsonStringToken {
  /** Offsets of the literal in the text, quotes included (`end` exclusive). */
  start: number;
  end: number;
  value: string;
  path: readonly JsonPathStep[];
  /** Whether the string is an object key (else a value). */
  key: boolean;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class NotJson extends Error {}

/**
 * Every string literal of a JSON text with its path, or undefined when the text is not JSON as
 * `JSON.parse` reads it (the grammar of RFC 8259: no comments, no trailing commas, no BOM).
 */
export function jsonStrings(text: string): JsonStringToken[] | undefined {
  const tokens: JsonStringToken[] = [];
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WS.has(text[i] as string)) i++;
  };
  const string = (path: readonly JsonPathStep[], key: boolean): string => {
    const start = i;
    i++; // the opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) throw new NotJson();
      const c = text[i] as string;
      if (c === '"') break;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) throw new NotJson();
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new NotJson();
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const decoded = ESCAPES[e];
        if (decoded === undefined) throw new NotJson();
        out += decoded;
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new NotJson();
      out += c;
      i++;
    }
    i++; // the closing quote
    tokens.push({ start, end: i, value: out, path, key });
    return out;
  };
  const value = (path: readonly JsonPathStep[], depth: number): void => {
    if (depth > 512) throw new NotJson();
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      skip();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') throw new NotJson();
        const name = string(path, true);
        skip();
        if (text[i] !== ':') throw new NotJson();
        i++;
        value([...path, name], depth + 1);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new NotJson();
      }
    }
    if (c === '[') {
      i++;
      skip();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        value([...path, index], depth + 1);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new NotJson();
      }
    }
    if (c === '"') {
      string(path, false);
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) throw new NotJson();
    i += m[0].length;
  };
  try {
    value([], 0);
    skip();
    if (i !== text.length) return undefined;
  } catch (error) {
    if (error instanceof NotJson) return undefined;
    throw error;
  }
  return tokens;
}

/** Where a string value sits in a bucket policy, as far as the rewrite cares. */
export type PolicySlot =
  | { kind: 'resource' }
  | { kind: 'principal' }
  | { kind: 'condition'; operator: string; key: string; scalar: boolean }
  | { kind: 'other' };

/** The slot of a string value at `path` (`Statement[i].Resource[j]`, `Statement[i].Condition.Op.Key[j]`, ...). */
export function policySlot(path: readonly JsonPathStep[]): PolicySlot {
  if (path.length < 3 || path[0] !== 'Statement' || typeof path[1] !== 'number') return { kind: 'other' };
  const field = path[2];
  const listItem = (at: number): boolean => path.length === at || (path.length === at + 1 && typeof path[at] === 'number');
  if (field === 'Resource' && listItem(3)) return { kind: 'resource' };
  if (field === 'Principal' && listItem(3)) return { kind: 'principal' };
  if (field === 'Condition' && path.length >= 5 && typeof path[3] === 'string' && typeof path[4] === 'string' && listItem(5)) {
    return { kind: 'condition', operator: path[3], key: path[4], scalar: path.length === 5 };
  }
  return { kind: 'other' };
}

/** The condition keys a policy text names (as written), for deciding which request context matters. */
export function conditionKeys(tokens: readonly JsonStringToken[]): Set<string> {
  const keys = new Set<string>();
  for (const t of tokens) {
    if (t.key && t.path.length === 4 && t.path[0] === 'Statement' && typeof t.path[1] === 'number' && t.path[2] === 'Condition') keys.add(t.value);
  }
  return keys;
}

/** Why a text cannot be rewritten faithfully. */
export interface RewriteProblem {
  code: string;
  message: string;
}

/** How each kind of value is rewritten: the new value (a list for a condition value that now stands for several), or a problem. */
export interface PolicyRewriter {
  resource(value: string): string | RewriteProblem;
  principal(value: string): string | RewriteProblem;
  /** A condition value of `key` under `operator`; undefined leaves it as it is. */
  condition(operator: string, key: string, value: string): string | string[] | RewriteProblem | undefined;
  /** Whether a Resource value decides nothing whatever follows its first `/` (it names another bucket), so its tail may make up a size difference. */
  spare?(value: string): boolean;
}

/** The limits a rewrite must not move a policy across (vendor notes alibaba-oss.md §3: EC 0030-00000001 and 0030-00000003). */
export interface SizeLimits {
  /** The largest policy in UTF-8 bytes (§3: "< 16 KB", read as 16384 bytes included like the reference). */
  policyBytes: number;
  /** The largest string value in UTF-8 bytes (§3: 4,095 bytes). */
  fieldBytes: number;
}

/** The documented limits (vendor notes alibaba-oss.md §3). */
export const DOCUMENTED_LIMITS: SizeLimits = { policyBytes: 16384, fieldBytes: 4095 };

function isProblem(v: unknown): v is RewriteProblem {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'code' in v;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Rewrites the names of a policy text in place. A text that is not JSON comes back unchanged.
 * Because names get longer or shorter, the rewrite could move a policy across a size limit and so
 * change whether the target accepts it. Then the difference is taken from (or added to) the end
 * of the longest value the rewriter calls spare (a Resource naming another bucket, which no
 * request of the world matches however long it is), so that the text keeps its exact size; when
 * there is none, the rewrite is refused (`POLICY_SIZE_CHANGED`) rather than submitted, since the
 * observation would be about the rewrite and not the world.
 */
export function rewritePolicyText(text: string, rewriter: PolicyRewriter, limits: SizeLimits = DOCUMENTED_LIMITS): { text: string } | { problem: RewriteProblem } {
  const tokens = jsonStrings(text);
  if (tokens === undefined) return { text };
  const edits = new Map<JsonStringToken, string>();
  const spare: JsonStringToken[] = [];
  for (const token of tokens) {
    if (token.key) continue;
    const slot = policySlot(token.path);
    let replaced: string | string[] | RewriteProblem | undefined;
    if (slot.kind === 'resource') replaced = rewriter.resource(token.value);
    else if (slot.kind === 'principal') replaced = rewriter.principal(token.value);
    else if (slot.kind === 'condition') replaced = rewriter.condition(slot.operator, slot.key, token.value);
    if (replaced === undefined) continue;
    if (isProblem(replaced)) return { problem: replaced };
    const values = typeof replaced === 'string' ? [replaced] : replaced;
    if (values.length === 1 && values[0] === token.value) {
      if (slot.kind === 'resource' && rewriter.spare?.(token.value)) spare.push(token);
      continue;
    }
    for (const v of values) {
      if ((bytes(token.value) <= limits.fieldBytes) !== (bytes(v) <= limits.fieldBytes)) {
        return { problem: { code: 'POLICY_SIZE_CHANGED', message: `a value of ${bytes(token.value)} bytes becomes ${bytes(v)} bytes once its names are the target's, across the ${limits.fieldBytes}-byte field limit` } };
      }
    }
    if (values.length === 1) edits.set(token, JSON.stringify(values[0]));
    else if (slot.kind === 'condition' && slot.scalar) edits.set(token, `[${values.map((v) => JSON.stringify(v)).join(',')}]`);
    else edits.set(token, values.map((v) => JSON.stringify(v)).join(','));
  }
  let out = apply(text, edits);
  if ((bytes(text) <= limits.policyBytes) !== (bytes(out) <= limits.policyBytes)) {
    const grown = bytes(out) - bytes(text);
    const pad = spare.sort((a, b) => b.end - b.start - (a.end - a.start))[0];
    const literal = pad === undefined ? undefined : resized(pad.value, bytes(text.slice(pad.start, pad.end)) - grown);
    if (pad === undefined || literal === undefined || (bytes(pad.value) <= limits.fieldBytes) !== (bytes(JSON.parse(literal) as string) <= limits.fieldBytes)) {
      return { problem: { code: 'POLICY_SIZE_CHANGED', message: `the policy of ${bytes(text)} bytes becomes ${bytes(out)} bytes once its names are the target's, across the ${limits.policyBytes}-byte limit, and no value about another bucket can make up for it` } };
    }
    edits.set(pad, literal);
    out = apply(text, edits);
  }
  return { text: out };
}

function apply(text: string, edits: ReadonlyMap<JsonStringToken, string>): string {
  let out = '';
  let at = 0;
  for (const [token, literal] of [...edits.entries()].sort((a, b) => a[0].start - b[0].start)) {
    out += text.slice(at, token.start) + literal;
    at = token.end;
  }
  return out + text.slice(at);
}

/**
 * The JSON literal of `value` with its tail after the first `/` shortened, then topped up with
 * `a`, to exactly `target` bytes; undefined when that cannot be done without touching the part
 * before the `/` (the bucket name).
 */
function resized(value: string, target: number): string | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const chars = Array.from(value);
  const keep = Array.from(value.slice(0, slash + 1)).length;
  while (chars.length > keep && bytes(JSON.stringify(chars.join(''))) > target) chars.pop();
  let v = chars.join('');
  const missing = target - bytes(JSON.stringify(v));
  if (missing < 0) return undefined;
  v += 'a'.repeat(missing);
  return JSON.stringify(v);
}

/**
 * Whether `pattern` matches `text` with `*` (any run of characters, none included) and `?` (one
 * character), case-sensitively, as RAM documents string wildcards (vendor notes §1.2, §1.6).
 */
export function globMatches(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** Whether a value holds a wildcard character. */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}
