/**
 * Rewrites a world's names into the target's (issue #7): in a bucket policy, every Resource and
 * NotResource entry gets the world prefix (a literal prefix before an anchored `*` pattern keeps
 * what matches what, vendor notes huawei-obs.md §1.5), and every principal entry
 * (`domain/<account>...`, §1.3) names the real identity its world principal maps to; in an ACL,
 * every account grantee (§5.1). The policy text is edited in place, string by string, so that its
 * formatting (whitespace, key order, escapes of the untouched strings) is the world's; a text
 * that is not JSON is sent as it is (it is refused as malformed whatever it names). Since the
 * prefix makes the text longer, and the size of a policy is itself a rule (OBS-LIMIT-SIZE, 20 KB),
 * the text is brought back to its byte size where that changes no decision: by shortening a
 * statement's `Sid`, or the object part of a Resource entry of another bucket, which matches no
 * request of the world either way.
 */

/** A JSON path: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** A string value of a JSON text, where it is and where it sits. */
export interface JsonString {
  start: number;
  end: number;
  value: string;
  path: JsonPath;
}

/**
 * The string values (not keys) of a JSON text with their offsets and paths, or undefined when
 * the text is not JSON (as `JSON.parse` decides).
 */
export function jsonStrings(text: string): JsonString[] | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const out: JsonString[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): { start: number; end: number; value: string } => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return { start, end: i, value: JSON.parse(text.slice(start, i)) as string };
  };
  const value = (path: JsonPath): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = string().value;
        ws();
        i++; // ':'
        value([...path, key]);
        ws();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value([...path, n]);
        ws();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') {
      out.push({ ...string(), path });
      return;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value([]);
  return out;
}

/** Where a string of a policy sits, as far as rewriting goes. */
type Role = 'principal' | 'resource' | 'sid' | 'other';

function roleOf(path: JsonPath): Role {
  if (path[0] !== 'Statement' || typeof path[1] !== 'number') return 'other';
  const field = path[2];
  if (field === 'Principal' || field === 'NotPrincipal') return 'principal';
  if ((field === 'Resource' || field === 'NotResource') && (path.length === 3 || (path.length === 4 && typeof path[3] === 'number'))) return 'resource';
  if (field === 'Sid' && path.length === 3) return 'sid';
  return 'other';
}

// Vendor notes §1.3: `domain/<account>`, `domain/<account>:root`, `domain/<account>:user/*`,
// `domain/<account>:user/<user>`, `domain/<account>:agency/<name>`, and the Federated forms.
const DOMAIN = /^domain\/([^:/]+)([\s\S]*)$/;
const USER = /^:user\/([\s\S]+)$/;

/** The accounts and users a policy names, in order of appearance. */
export interface NamedPrincipals {
  accounts: string[];
  users: Array<[string, string]>;
}

/** The accounts and users the principal entries of a policy text name (none when it is not JSON). */
export function policyPrincipals(text: string): NamedPrincipals {
  const named: NamedPrincipals = { accounts: [], users: [] };
  for (const s of jsonStrings(text) ?? []) {
    if (roleOf(s.path) !== 'principal') continue;
    const m = DOMAIN.exec(s.value);
    if (!m) continue;
    const account = m[1]!;
    named.accounts.push(account);
    const u = USER.exec(m[2]!);
    if (u && u[1] !== '*') named.users.push([account, u[1]!]);
  }
  return named;
}

/** How world names become target names. */
export interface Naming {
  /** The world prefix every bucket name gets. */
  prefix: string;
  account(account: string): string;
  user(account: string, user: string): string;
}

/** A principal entry with its account (and user) renamed; anything not of the `domain/` forms as it is. */
export function rewritePrincipalId(text: string, naming: Naming): string {
  const m = DOMAIN.exec(text);
  if (!m) return text;
  const account = m[1]!;
  const rest = m[2]!;
  const u = USER.exec(rest);
  if (u && u[1] !== '*') return `domain/${naming.account(account)}:user/${naming.user(account, u[1]!)}`;
  return `domain/${naming.account(account)}${rest}`;
}

/** A Resource entry with the world prefix; the empty entry (refused as malformed) as it is. */
export function rewriteResource(entry: string, naming: Naming): string {
  return entry === '' ? entry : `${naming.prefix}${entry}`;
}

const encoder = new TextEncoder();

function bytes(text: string): number {
  return encoder.encode(text).length;
}

/** The UTF-8 bytes a string value takes in JSON text, quotes left out. */
function encodedBytes(value: string): number {
  return bytes(JSON.stringify(value)) - 2;
}

/** A string that can be changed without changing any decision, and from where on. */
interface Slack {
  index: number;
  /** Code points kept at the start. */
  keep: number;
}

/**
 * Makes `value` `delta` bytes shorter (in JSON) from its end, keeping `keep` code points:
 * whole characters while they fit, then one character replaced by as many `a`s as makes the
 * count exact. Returns the new value and the bytes removed.
 */
function shorten(value: string, keep: number, delta: number): { value: string; removed: number } {
  const chars = Array.from(value);
  let removed = 0;
  while (removed < delta && chars.length > keep) {
    const last = chars.pop()!;
    const size = encodedBytes(last);
    if (removed + size <= delta) {
      removed += size;
    } else {
      chars.push('a'.repeat(size - (delta - removed)));
      removed = delta;
    }
  }
  return { value: chars.join(''), removed };
}

/** What rewriting a policy gave: the text to send, and how many bytes it differs from the world's. */
export interface RewrittenPolicy {
  text: string;
  /** Bytes more (positive) or fewer than the world's text, after compensation: 0 unless no slack was left. */
  sizeDifference: number;
}

/**
 * The policy text the target is sent for the world's `text`: principals and resources renamed,
 * then its byte size brought back to the world's where slack allows. `bucket` is the world's
 * bucket name (Resource entries of other buckets are slack).
 */
export function rewritePolicyText(text: string, naming: Naming, bucket: string): RewrittenPolicy {
  const strings = jsonStrings(text);
  if (strings === undefined) return { text, sizeDifference: 0 };
  const values: string[] = [];
  const slack: Slack[] = [];
  strings.forEach((s, index) => {
    const role = roleOf(s.path);
    if (role === 'principal') values.push(rewritePrincipalId(s.value, naming));
    else if (role === 'resource') {
      values.push(rewriteResource(s.value, naming));
      const slash = s.value.indexOf('/');
      const bucketPart = slash < 0 ? s.value : s.value.slice(0, slash);
      // Another bucket's objects (no wildcard in the bucket part): no request of this world is in
      // that bucket, so no object part matches, shortened or not (§1.5: patterns are anchored).
      if (slash >= 0 && !bucketPart.includes('*') && bucketPart.toLowerCase() !== bucket.toLowerCase()) {
        slack.push({ index, keep: Array.from(naming.prefix).length + Array.from(s.value.slice(0, slash + 1)).length });
      }
    } else {
      values.push(s.value);
      if (role === 'sid') slack.push({ index, keep: 0 });
    }
  });
  const original = bytes(text);
  const render = (): string => {
    let out = '';
    let at = 0;
    strings.forEach((s, index) => {
      out += text.slice(at, s.start);
      out += values[index] === s.value ? text.slice(s.start, s.end) : JSON.stringify(values[index]);
      at = s.end;
    });
    return out + text.slice(at);
  };
  let rewritten = render();
  let delta = bytes(rewritten) - original;
  // Sids first (free text), then the other buckets' entries.
  slack.sort((a, b) => Number(roleOf(strings[b.index]!.path) === 'sid') - Number(roleOf(strings[a.index]!.path) === 'sid'));
  for (const s of slack) {
    if (delta === 0) break;
    const current = values[s.index]!;
    // The untouched string may be written with escapes; from here on it is written by JSON.stringify.
    const written = values[s.index] === strings[s.index]!.value ? bytes(text.slice(strings[s.index]!.start, strings[s.index]!.end)) - 2 : encodedBytes(current);
    const drift = encodedBytes(current) - written;
    if (delta + drift === 0) continue;
    if (delta + drift > 0) {
      const { value, removed } = shorten(current, s.keep, delta + drift);
      values[s.index] = value;
      delta = delta + drift - removed;
    } else {
      values[s.index] = current + 'a'.repeat(-(delta + drift));
      delta = 0;
    }
  }
  if (slack.length > 0) {
    rewritten = render();
    delta = bytes(rewritten) - original;
  }
  return { text: rewritten, sizeDifference: delta };
}

/** The accounts the account grantees of an ACL name (the ACL as sent: possibly invalid). */
export function aclAccounts(acl: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(acl)) return out;
  for (const g of acl) {
    const grantee = (g as { grantee?: unknown } | null)?.grantee as { account?: unknown } | undefined;
    if (typeof grantee === 'object' && grantee !== null && typeof grantee.account === 'string' && grantee.account !== '') out.push(grantee.account);
  }
  return out;
}

/** The ACL with every account grantee renamed; anything else (groups, invalid grants) as it is. */
export function rewriteAcl(acl: unknown, naming: Pick<Naming, 'account'>): unknown {
  if (!Array.isArray(acl)) return acl;
  return acl.map((g: unknown) => {
    if (typeof g !== 'object' || g === null || Array.isArray(g)) return g;
    const grant = g as Record<string, unknown>;
    const grantee = grant['grantee'];
    if (typeof grantee !== 'object' || grantee === null || Array.isArray(grantee)) return g;
    const account = (grantee as Record<string, unknown>)['account'];
    if (typeof account !== 'string' || account === '') return g;
    return { ...grant, grantee: { ...(grantee as Record<string, unknown>), account: naming.account(account) } };
  });
}
