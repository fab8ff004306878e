/**
 * The principals of a world and the target's real identities: which real identity stands for
 * each generated one (vendor notes alibaba-oss.md §1.3: account and RAM-user UIDs, STS ARNs
 * `arn:sts::<uid>:assumed-role/<role>/<session>`), and what a name that stands for nobody becomes.
 *
 * A world names principals in its policy, and its requests are sent by principals; only the
 * latter need a real identity. So the bucket owner is bound from the start (to the target's
 * owner), and every other principal is bound when a request is first sent as it: to the next
 * unused real identity of a compatible kind, injectively, for the rest of the world. Until then a
 * name the policy mentions is written as a placeholder that no real identity can match (the
 * generated name itself when it is not a real one), which decides every request exactly as the
 * generated name does: it matches no request of the world. Binding one changes the policy text,
 * and the world puts it again before the request is sent (see `world.ts`).
 */
import type { ResolvedIdentity } from '../config.ts';
import { globMatches, hasWildcard, type RewriteProblem } from './policy-text.ts';

/** A real identity of the target file, as the target sees it. */
export interface RealIdentity {
  kind: 'account' | 'user' | 'session';
  /** The UID a request signed by it carries as its principal; for sessions, undefined. */
  uid: string | undefined;
  /** Its account's UID (its own for an account). */
  account: string;
  role?: string;
  session?: string;
  /** The AccessKey id the target sees in `acs:AccessId`. */
  accessKeyId: string;
  resolved: ResolvedIdentity;
}

/** The real identities a run may act as. */
export interface IdentityPool {
  owner: RealIdentity;
  /**
   * Identities that can stand for a generated account or RAM-user UID: the accounts other than
   * the owner's and the RAM users of those accounts. The owner's own RAM users are left out: on a
   * real endpoint they may hold RAM policies on the owner's buckets, which grant beyond the
   * bucket policy (§2.1 step 4: RAM and bucket policy are evaluated independently), while a
   * user of another account gets an implicit deny from RAM on a bucket its account does not own,
   * so only the bucket policy decides its requests, as the reference assumes.
   */
  signers: RealIdentity[];
  /**
   * Role sessions. A session of an account other than the owner's stands for a generated
   * session of an account other than the world's owner (same reason as for users); a session of
   * the owner's account only for one that the world itself places in the owner's account.
   */
  sessions: RealIdentity[];
  /** Every UID the target knows: accounts, users, the accounts of sessions. */
  realUids: Set<string>;
}

/** The pool of a run: its owner and other identities. */
export function identityPool(owner: ResolvedIdentity, others: readonly ResolvedIdentity[]): IdentityPool {
  const real = (r: ResolvedIdentity): RealIdentity | undefined => {
    if (r.kind === 'account' && r.id !== undefined) return { kind: 'account', uid: r.id, account: r.id, accessKeyId: r.accessKeyId ?? '', resolved: r };
    if (r.kind === 'user' && r.id !== undefined && r.account !== undefined) return { kind: 'user', uid: r.id, account: r.account, accessKeyId: r.accessKeyId ?? '', resolved: r };
    if (r.kind === 'session' && r.account !== undefined && r.role !== undefined && r.session !== undefined) {
      return { kind: 'session', uid: undefined, account: r.account, role: r.role, session: r.session, accessKeyId: r.accessKeyId ?? '', resolved: r };
    }
    return undefined;
  };
  const ownerIdentity = real(owner);
  if (ownerIdentity === undefined || ownerIdentity.kind !== 'account') throw new Error('the owner of an Alibaba OSS target is an account with an id');
  const all = others.map(real).filter((r): r is RealIdentity => r !== undefined);
  const ownerId = ownerIdentity.account;
  const realUids = new Set<string>([ownerId]);
  for (const r of all) {
    realUids.add(r.account);
    if (r.uid !== undefined) realUids.add(r.uid);
  }
  return {
    owner: ownerIdentity,
    signers: all.filter((r) => r.kind !== 'session' && r.account !== ownerId && r.uid !== ownerId),
    sessions: all.filter((r) => r.kind === 'session'),
    realUids,
  };
}

/** Who a request is sent as. */
export type Sender = { kind: 'anonymous' } | { kind: 'identity'; identity: RealIdentity };

/** Parts of an STS ARN principal (§1.3): `arn:sts::<account>:<type>/<role>/<session>`. */
export interface StsArn {
  account: string;
  type: string;
  role: string;
  session: string;
}

const ARN_PREFIX = 'arn:sts::';

/** The parts of an STS ARN, or undefined when `value` is not one. */
export function parseStsArn(value: string): StsArn | undefined {
  if (!value.startsWith(ARN_PREFIX)) return undefined;
  const rest = value.slice(ARN_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const parts = rest.slice(colon + 1).split('/');
  if (parts.length !== 3) return undefined;
  return { account: rest.slice(0, colon), type: parts[0] as string, role: parts[1] as string, session: parts[2] as string };
}

/** An STS ARN from its parts. */
export function formatStsArn(arn: StsArn): string {
  return `${ARN_PREFIX}${arn.account}:${arn.type}/${arn.role}/${arn.session}`;
}

const UID = /^\d+$/;

function problem(code: string, message: string): RewriteProblem {
  return { code, message };
}

/** `name` with the case of its first letter flipped (the form of a changed-case near miss, ALI-PRINCIPAL-STS). */
function flipCase(name: string): string | undefined {
  const at = [...name].findIndex((c) => c.toLowerCase() !== c.toUpperCase());
  if (at < 0) return undefined;
  const c = name[at] as string;
  return name.slice(0, at) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + name.slice(at + 1);
}

const key = (...parts: string[]): string => parts.join('\u0000');

/** The string operators whose values an `acs:AccessId` rewrite understands (vendor notes §1.6), and how each matches. */
const ACCESS_ID_MATCH: Readonly<Record<string, (pattern: string, value: string) => boolean>> = {
  StringEquals: (p, v) => p === v,
  StringNotEquals: (p, v) => p === v,
  StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  StringNotEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  StringLike: (p, v) => globMatches(p, v),
  StringNotLike: (p, v) => globMatches(p, v),
};

/**
 * The bindings of one world: generated principal names to real identities and names. Built with
 * the generated names the policy mentions, so that placeholders never collide with them.
 */
export class WorldBindings {
  readonly #pool: IdentityPool;
  /** The world's bucket owner UID, bound to the target's owner. */
  readonly ownerGen: string;
  readonly #knownUids: Set<string>;
  readonly #uid = new Map<string, string>();
  readonly #uidTaker = new Map<string, string>();
  readonly #role = new Map<string, string>();
  readonly #roleTaker = new Map<string, string>();
  readonly #session = new Map<string, RealIdentity>();
  readonly #sessionTaker = new Map<RealIdentity, string>();
  readonly #accessIds = new Map<string, RealIdentity>();
  readonly #accessIdOf = new Map<RealIdentity, string>();
  readonly #fakeUids = new Map<string, string>();
  readonly #fakeNames = new Map<string, string>();
  readonly #fakeAccessIds = new Map<string, string>();
  /** Generated role names per generated account, and session names per role, that the policy mentions. */
  readonly #knownNames = new Set<string>();

  constructor(pool: IdentityPool, ownerGen: string, mentioned: readonly string[] = []) {
    this.#pool = pool;
    this.ownerGen = ownerGen;
    this.#knownUids = new Set([ownerGen]);
    for (const m of mentioned) {
      if (UID.test(m)) this.#knownUids.add(m);
      const arn = parseStsArn(m);
      if (arn !== undefined) {
        if (UID.test(arn.account)) this.#knownUids.add(arn.account);
        this.#knownNames.add(arn.role);
        this.#knownNames.add(arn.session);
      }
    }
  }

  /** The real account UID a generated account UID stands for, if bound (the owner always is). */
  #accountOf(gen: string): string | undefined {
    return gen === this.ownerGen ? this.#pool.owner.account : this.#uid.get(gen);
  }

  /** The real identity a request's principal is sent as, binding it on first use; a problem when the target has no identity left for it. */
  resolve(principal: string): Sender | RewriteProblem {
    if (principal === 'anonymous') return { kind: 'anonymous' };
    if (principal === this.ownerGen) return { kind: 'identity', identity: this.#pool.owner };
    if (UID.test(principal)) return this.#resolveUid(principal);
    const arn = parseStsArn(principal);
    if (arn !== undefined && arn.type === 'assumed-role' && UID.test(arn.account) && ![arn.role, arn.session].some((p) => p === '' || hasWildcard(p))) return this.#resolveSession(arn);
    return problem('UNSUPPORTED_PRINCIPAL', `a request cannot be sent as \`${principal.slice(0, 120)}\`: it is neither a UID, an STS session ARN without wildcards, nor \`anonymous\``);
  }

  #resolveUid(gen: string): Sender | RewriteProblem {
    this.#knownUids.add(gen);
    const bound = this.#uid.get(gen);
    if (bound !== undefined) {
      const signer = this.#pool.signers.find((s) => s.uid === bound);
      if (signer === undefined) return problem('IDENTITY_CONFLICT', 'this world uses the UID of a request both as a session\'s account and as a principal, and the target file has no account identity for it');
      return { kind: 'identity', identity: signer };
    }
    const touched = new Set([...this.#uidTaker.keys()].map((u) => this.#pool.signers.find((s) => s.uid === u)?.account ?? u));
    const free = this.#pool.signers.filter((s) => !this.#uidTaker.has(s.uid as string));
    // Prefer an identity whose account no other principal of the world stands in: whether an account UID covers its own RAM users is not documented (§1.3 SILENT).
    const pick = free.find((s) => !touched.has(s.account)) ?? free[0];
    if (pick === undefined) {
      return problem('NOT_ENOUGH_IDENTITIES', `this world sends requests as more accounts and RAM users of other accounts than the target file has (${this.#pool.signers.length})`);
    }
    this.#uid.set(gen, pick.uid as string);
    this.#uidTaker.set(pick.uid as string, gen);
    return { kind: 'identity', identity: pick };
  }

  #resolveSession(arn: StsArn): Sender | RewriteProblem {
    this.#knownUids.add(arn.account);
    this.#knownNames.add(arn.role);
    this.#knownNames.add(arn.session);
    const sessionKey = key(arn.account, arn.role, arn.session);
    const bound = this.#session.get(sessionKey);
    if (bound !== undefined) return { kind: 'identity', identity: bound };
    const account = this.#accountOf(arn.account);
    const role = this.#role.get(key(arn.account, arn.role));
    const candidates = this.#pool.sessions.filter((s) => {
      if (this.#sessionTaker.has(s)) return false;
      if (account !== undefined ? s.account !== account : s.account === this.#pool.owner.account || this.#uidTaker.has(s.account)) return false;
      const roleKey = key(s.account, s.role as string);
      if (role !== undefined ? s.role !== role : this.#roleTaker.has(roleKey)) return false;
      return true;
    });
    // A new role (or account) goes to the real one with the most sessions (or roles): later
    // requests by other sessions of the same role, or other roles of the same account, then
    // still find one.
    const sessionsOfRole = (s: RealIdentity) => this.#pool.sessions.filter((o) => o.account === s.account && o.role === s.role).length;
    const rolesOfAccount = (s: RealIdentity) => new Set(this.#pool.sessions.filter((o) => o.account === s.account).map((o) => o.role)).size;
    const ranked = [...candidates].sort((a, b) => (role === undefined ? sessionsOfRole(b) - sessionsOfRole(a) : 0) || (account === undefined ? rolesOfAccount(b) - rolesOfAccount(a) : 0));
    const pick = ranked[0];
    if (pick === undefined) {
      return problem('NOT_ENOUGH_IDENTITIES', `this world sends requests as more role sessions (in the accounts, roles and sessions its principals need) than the target file has (${this.#pool.sessions.length} sessions)`);
    }
    if (account === undefined) {
      this.#uid.set(arn.account, pick.account);
      this.#uidTaker.set(pick.account, arn.account);
    }
    if (role === undefined) {
      this.#role.set(key(arn.account, arn.role), pick.role as string);
      this.#roleTaker.set(key(pick.account, pick.role as string), key(arn.account, arn.role));
    }
    this.#session.set(sessionKey, pick);
    this.#sessionTaker.set(pick, sessionKey);
    return { kind: 'identity', identity: pick };
  }

  /**
   * Records that a request's `acs:AccessId` (generated) is the AccessKey id of `identity` from
   * now on; a problem when the world already tied either to another (a real identity has one key).
   */
  bindAccessId(gen: string, identity: RealIdentity): RewriteProblem | undefined {
    const had = this.#accessIds.get(gen);
    const hadGen = this.#accessIdOf.get(identity);
    if ((had !== undefined && had !== identity) || (hadGen !== undefined && hadGen !== gen)) {
      return problem('UNSUPPORTED_CONTEXT', 'acs:AccessId: this world already tied that AccessKey id, or the identity sending the request, to another');
    }
    this.#accessIds.set(gen, identity);
    this.#accessIdOf.set(identity, gen);
    return undefined;
  }

  /** Whether a generated AccessKey id has been tied to `identity`. */
  hasAccessId(identity: RealIdentity): boolean {
    return this.#accessIdOf.has(identity);
  }

  // --- names as the policy text writes them ---

  /** A generated UID as the policy is submitted: its real UID when bound, else a placeholder no real identity has. */
  uid(gen: string): string {
    const real = this.#accountOf(gen);
    if (real !== undefined) return real;
    if (!this.#pool.realUids.has(gen)) return gen;
    let fake = this.#fakeUids.get(gen);
    for (let n = this.#fakeUids.size + 1; fake === undefined; n++) {
      const candidate = `8${String(n).padStart(Math.max(gen.length - 1, 15), '0')}`;
      if (!this.#pool.realUids.has(candidate) && !this.#knownUids.has(candidate)) fake = candidate;
    }
    this.#fakeUids.set(gen, fake);
    return fake;
  }

  /** A name that is neither a real one of `taken` nor a generated name of the world: the name itself, its changed-case form of a bound name, or a fresh one. */
  #placeholder(scope: string, gen: string, reals: ReadonlySet<string>, caseTwin: string | undefined): string {
    const memo = this.#fakeNames.get(key(scope, gen));
    if (memo !== undefined) return memo;
    let out: string | undefined;
    if (caseTwin !== undefined) {
      const variant = flipCase(caseTwin);
      if (variant !== undefined && !reals.has(variant) && !this.#knownNames.has(variant)) out = variant;
    }
    if (out === undefined && !reals.has(gen)) out = gen;
    for (let n = 1; out === undefined; n++) {
      const candidate = `bc-none-${n}`;
      if (!reals.has(candidate) && !this.#knownNames.has(candidate)) out = candidate;
    }
    this.#fakeNames.set(key(scope, gen), out);
    return out;
  }

  /** A role name of an ARN in the policy, under the generated account `genAccount` (`*` for any). */
  role(genAccount: string, genRole: string): string | RewriteProblem {
    if (genAccount === '*') {
      const reals = new Set(this.#pool.sessions.map((s) => s.role as string));
      const bound = new Set([...this.#role.entries()].filter(([k]) => k.endsWith(`\u0000${genRole}`)).map(([, v]) => v));
      if (bound.size > 1) return problem('UNSUPPORTED_PRINCIPAL', 'a role name under an account wildcard stands for roles of several accounts');
      return [...bound][0] ?? this.#placeholder('*role', genRole, reals, undefined);
    }
    const bound = this.#role.get(key(genAccount, genRole));
    if (bound !== undefined) return bound;
    const account = this.#accountOf(genAccount);
    // In an account that stands for nobody, no real session can match whatever the role is called.
    if (account === undefined) return genRole;
    const reals = new Set(this.#pool.sessions.filter((s) => s.account === account).map((s) => s.role as string));
    const twin = [...this.#role.entries()].find(([k]) => {
      const [a, r] = k.split('\u0000') as [string, string];
      return a === genAccount && r !== genRole && r.toLowerCase() === genRole.toLowerCase();
    });
    return this.#placeholder(key('role', account), genRole, reals, twin?.[1]);
  }

  /** A session name of an ARN in the policy, under the generated account and role. */
  session(genAccount: string, genRole: string, genSession: string): string | RewriteProblem {
    if (genAccount === '*' || genRole === '*') {
      const boundAny = [...this.#session.keys()].some((k) => k.endsWith(`\u0000${genSession}`));
      if (boundAny) return problem('UNSUPPORTED_PRINCIPAL', 'a session name under an account or role wildcard stands for a bound session');
      return this.#placeholder('*session', genSession, new Set(this.#pool.sessions.map((s) => s.session as string)), undefined);
    }
    const bound = this.#session.get(key(genAccount, genRole, genSession));
    if (bound !== undefined) return bound.session as string;
    const account = this.#accountOf(genAccount);
    const role = this.#role.get(key(genAccount, genRole));
    if (account === undefined || role === undefined) return genSession;
    const reals = new Set(this.#pool.sessions.filter((s) => s.account === account && s.role === role).map((s) => s.session as string));
    const twin = [...this.#session.entries()].find(([k]) => {
      const [a, r, s] = k.split('\u0000') as [string, string, string];
      return a === genAccount && r === genRole && s !== genSession && s.toLowerCase() === genSession.toLowerCase();
    });
    return this.#placeholder(key('session', account, role), genSession, reals, twin?.[1].session);
  }

  /**
   * A principal of the policy as submitted: `*` and `''` as written, UIDs and the parts of STS
   * ARNs through the bindings; a problem for a pattern over names (`2021*`), whose matches among
   * the target's names cannot follow from its matches among the generated ones.
   */
  principal(value: string): string | RewriteProblem {
    if (value === '*' || value === '') return value;
    if (UID.test(value)) return this.uid(value);
    const arn = parseStsArn(value);
    if (arn !== undefined) {
      let account = arn.account;
      if (UID.test(account)) account = this.uid(account);
      else if (account !== '*') return problem('UNSUPPORTED_PRINCIPAL', `the account of \`${value.slice(0, 120)}\` is a pattern`);
      const parts = [arn.role, arn.session];
      if (parts.some((p) => p !== '*' && hasWildcard(p))) return problem('UNSUPPORTED_PRINCIPAL', `\`${value.slice(0, 120)}\` has a partial wildcard in a role or session name`);
      const role = arn.role === '*' ? '*' : this.role(arn.account, arn.role);
      if (typeof role !== 'string') return role;
      const session = arn.session === '*' ? '*' : this.session(arn.account, arn.role, arn.session);
      if (typeof session !== 'string') return session;
      return formatStsArn({ account, type: arn.type, role, session });
    }
    if (hasWildcard(value) && /\d/.test(value)) return problem('UNSUPPORTED_PRINCIPAL', `the principal pattern \`${value.slice(0, 120)}\` cannot be carried over to the target's UIDs`);
    return value;
  }

  /**
   * The values an `acs:AccessId` condition value becomes: the real AccessKey ids of the bound
   * generated ids it matches under `operator`, or a placeholder that matches no real key.
   */
  accessIdValues(operator: string, value: string): string[] | undefined {
    const match = ACCESS_ID_MATCH[operator];
    if (match === undefined) return undefined;
    const reals = [...new Set([...this.#accessIds.entries()].filter(([gen]) => match(value, gen)).map(([, identity]) => identity.accessKeyId))];
    if (reals.length > 0) return reals;
    let fake = this.#fakeAccessIds.get(value);
    if (fake === undefined) {
      const base = `bcnone${this.#fakeAccessIds.size + 1}x`;
      fake = base.length >= value.length ? base : base + 'x'.repeat(value.length - base.length);
      this.#fakeAccessIds.set(value, fake);
    }
    return [fake];
  }
}
