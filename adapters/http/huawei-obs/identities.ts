/**
 * The principals of one OBS world mapped onto the identities of the target file (issue #7): the
 * world's bucket owner is the run's owner; every other account of the world (a request's
 * principal, a policy's `domain/<account>...` entry, an ACL grantee) is a real account; every IAM
 * user of the world is a real IAM user *of the real account its world account maps to*, so that
 * `domain/<account>:user/*` keeps covering exactly that account's users (vendor notes
 * huawei-obs.md §1.3). The map is injective. A world principal that the target has no identity
 * left for gets a synthetic id (32 hex digits no identity has): that is exact as long as it
 * sends no request, since a principal that sends nothing only has to differ from everyone else.
 * When one does send, it takes a free real identity, else one from a world principal that has
 * sent nothing, else the one used least recently (whose principal becomes synthetic in turn); the
 * client then puts the policy and ACL in force again under the new names before it sends the
 * request. Each request is so decided under an injective renaming of the world's state in which
 * its sender is real, which is all a decision depends on (the reference and the emulator keep no
 * other state that names principals: object owners decide nothing, emulator/huawei-obs/README.md
 * "Object owners"). The world is short of identities (NOT_ENOUGH_IDENTITIES) only when the target
 * file has no identity of the kind at all: no account besides the owner's, no IAM user in any
 * other account, or none in the owner's.
 */
import { createHash } from 'node:crypto';
import type { ResolvedIdentity } from '../config.ts';

/** An IAM user of the target: its id, its name when the file gives one, its credentials, its account. */
export interface RealUser {
  readonly id: string;
  readonly name?: string;
  readonly identity: ResolvedIdentity;
  readonly account: RealAccount;
}

/** An account of the target: its id, its credentials when the file gives them, and its IAM users. */
export interface RealAccount {
  readonly id: string;
  readonly identity?: ResolvedIdentity;
  readonly users: RealUser[];
}

/** The target's accounts: the owner's (with its users) and the others. */
export interface RealIdentities {
  readonly owner: RealAccount;
  readonly others: readonly RealAccount[];
}

/**
 * Groups the file's identities by account. Users name their account (`account:`), which need
 * not be an identity of the file itself: such an account can be named in policies and ACLs but
 * not act. Role sessions are left out: an OBS request has no session principal
 * (model/huawei-obs/types.ts), and the emulator's reading of a session as a user `<role>/<session>`
 * is its own choice (emulator/huawei-obs/README.md "Identities").
 */
export function realIdentities(owner: ResolvedIdentity, others: readonly ResolvedIdentity[]): RealIdentities {
  const byId = new Map<string, RealAccount>();
  // Accounts come first, so that an account's entry carries its credentials before its users join it.
  const account = (id: string, identity?: ResolvedIdentity): RealAccount => {
    let entry = byId.get(id);
    if (entry === undefined) {
      entry = { id, ...(identity === undefined ? {} : { identity }), users: [] };
      byId.set(id, entry);
    }
    return entry;
  };
  account(owner.id ?? '', owner);
  for (const identity of others) if (identity.kind === 'account' && identity.id !== undefined) account(identity.id, identity);
  for (const identity of others) {
    if (identity.kind !== 'user' || identity.id === undefined || identity.account === undefined) continue;
    const a = account(identity.account);
    a.users.push({ id: identity.id, ...(identity.name === undefined ? {} : { name: identity.name }), identity, account: a });
  }
  const ownerAccount = byId.get(owner.id ?? '')!;
  return { owner: ownerAccount, others: [...byId.values()].filter((a) => a !== ownerAccount) };
}

/** The credentials a request is signed with, or why the world is short of identities. */
export type Acquired = { kind: 'ok'; identity: ResolvedIdentity } | { kind: 'short'; message: string };

const SEP = '\u0000';

function userKey(account: string, user: string): string {
  return `${account}${SEP}${user}`;
}

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}...` : id;
}

/** The map of one prepared world. */
export class ObsIdentityMap {
  readonly #real: RealIdentities;
  readonly #worldOwner: string;
  readonly #salt: string;
  readonly #realIds: ReadonlySet<string>;
  /** World account to real account, or null for a synthetic id. */
  readonly #accountOf = new Map<string, RealAccount | null>();
  /** World user (`account\0user`) to real user, or null for a synthetic id. */
  readonly #userOf = new Map<string, RealUser | null>();
  /** A world user's name (`account\0name`) to its key (`account\0user`), learnt from requests (`userName`). */
  readonly #nameOf = new Map<string, string>();
  /** When world accounts (`a\0<account>`) and users (`u\0<key>`) last sent a request. */
  readonly #used = new Map<string, number>();
  readonly #synthetic = new Map<string, string>();
  #clock = 0;

  /** `salt` makes the synthetic ids of one world its own (the world prefix). */
  constructor(real: RealIdentities, worldOwner: string, salt: string) {
    this.#real = real;
    this.#worldOwner = worldOwner;
    this.#salt = salt;
    const ids = new Set<string>();
    for (const a of [real.owner, ...real.others]) {
      ids.add(a.id);
      for (const u of a.users) {
        ids.add(u.id);
        if (u.name !== undefined) ids.add(u.name);
      }
    }
    this.#realIds = ids;
    this.#accountOf.set(worldOwner, real.owner);
  }

  // ── Names, for rewriting policies and ACLs ──

  /** The id that stands for world account `account` on the target. */
  account(account: string): string {
    this.#bindAccounts([account], new Set());
    const real = this.#accountOf.get(account);
    return real ? real.id : this.#syntheticId(`a${SEP}${account}`);
  }

  /**
   * The name that stands for world user `user` of `account` in `domain/<account>:user/<user>`:
   * the real user's id, or its name when the world names this user by its name (vendor notes
   * §1.3: "<userId or userName>"; a request's `userName` told us so).
   */
  user(account: string, user: string): string {
    const alias = this.#nameOf.get(userKey(account, user));
    if (alias !== undefined) {
      const real = this.#userOf.get(alias);
      return real ? (real.name ?? real.id) : this.#syntheticId(`u${SEP}${alias}`);
    }
    const key = userKey(account, user);
    this.#bindUsers([[account, user]]);
    const real = this.#userOf.get(key);
    return real ? real.id : this.#syntheticId(`u${SEP}${key}`);
  }

  /**
   * Binds the principals a policy or an ACL names to free real identities, accounts named with
   * users first (they need a real account that has users), then the users; what finds none gets
   * a synthetic id. Principals already bound keep their binding.
   */
  bind(accounts: readonly string[], users: ReadonlyArray<readonly [string, string]>): void {
    const withUsers = new Map<string, number>();
    for (const [a, u] of users) if (!this.#nameOf.has(userKey(a, u))) withUsers.set(a, (withUsers.get(a) ?? 0) + 1);
    const ordered = [...new Set([...[...withUsers.entries()].sort((x, y) => y[1] - x[1]).map(([a]) => a), ...accounts])];
    this.#bindAccounts(ordered, new Set(withUsers.keys()));
    this.#bindUsers(users.filter(([a, u]) => !this.#nameOf.has(userKey(a, u))));
  }

  // ── Requests ──

  /** The credentials of world account `account` sending a request as itself. */
  acquireAccount(account: string): Acquired {
    this.#bindAccounts([account], new Set());
    const current = this.#accountOf.get(account) ?? null;
    if (current?.identity === undefined) {
      const target = this.#takeAccount(account, (a) => a.identity !== undefined);
      if (target === undefined) return { kind: 'short', message: 'the world sends requests as an account other than the owner, and the target file gives no such account' };
      this.#moveAccount(account, target);
    }
    this.#touch(`a${SEP}${account}`);
    return { kind: 'ok', identity: this.#accountOf.get(account)!.identity! };
  }

  /**
   * The credentials of world IAM user `user` of `account` (named `userName` when given, which a
   * policy may name it by) sending a request.
   */
  acquireUser(account: string, user: string, userName?: string): Acquired {
    this.#bindAccounts([account], new Set([account]));
    const key = userKey(account, user);
    if (userName !== undefined && userName !== user) {
      const refused = this.#learnName(account, user, userName);
      if (refused !== undefined) return refused;
    }
    let real = this.#accountOf.get(account) ?? null;
    if (real === null || real.users.length === 0) {
      if (account === this.#worldOwner) return { kind: 'short', message: 'the world sends requests as an IAM user of the bucket owner, and the target file gives the owner\'s account none' };
      const target = this.#takeAccount(account, (a) => a.users.length > 0);
      if (target === undefined) return { kind: 'short', message: 'the world sends requests as an IAM user of another account, and the target file gives no other account with IAM users' };
      this.#moveAccount(account, target);
      real = target;
    }
    const current = this.#userOf.get(key) ?? null;
    if (current === null || current.account !== real) this.#assignUser(key, this.#availableUser(real));
    this.#touch(`a${SEP}${account}`);
    this.#touch(`u${SEP}${key}`);
    return { kind: 'ok', identity: this.#userOf.get(key)!.identity };
  }

  // ── Internals ──

  #touch(what: string): void {
    this.#used.set(what, ++this.#clock);
  }

  /** How much a holder is worth keeping: never sent anything (-1), else when it last did. */
  #lastUse(what: string | undefined): number {
    return what === undefined ? -2 : (this.#used.get(what) ?? -1);
  }

  #syntheticId(key: string): string {
    let id = this.#synthetic.get(key);
    if (id === undefined) {
      for (let n = 0; id === undefined || this.#realIds.has(id); n++) {
        id = createHash('sha256').update(`${this.#salt}${SEP}${key}${SEP}${n}`).digest('hex').slice(0, 32);
      }
      this.#synthetic.set(key, id);
    }
    return id;
  }

  #boundAccounts(): Set<RealAccount> {
    const set = new Set<RealAccount>();
    for (const r of this.#accountOf.values()) if (r !== null) set.add(r);
    return set;
  }

  #boundUsers(): Set<RealUser> {
    const set = new Set<RealUser>();
    for (const r of this.#userOf.values()) if (r !== null) set.add(r);
    return set;
  }

  /** Binds unbound world accounts to free real accounts (those in `withUsers` to accounts with users first). */
  #bindAccounts(accounts: readonly string[], withUsers: ReadonlySet<string>): void {
    for (const a of accounts) {
      if (this.#accountOf.has(a)) continue;
      const taken = this.#boundAccounts();
      const free = this.#real.others.filter((r) => !taken.has(r));
      const wantsUsers = withUsers.has(a);
      free.sort((x, y) => {
        if (wantsUsers) return y.users.length - x.users.length || Number(y.identity !== undefined) - Number(x.identity !== undefined);
        // An account named without users keeps the accounts rich in users for those that need them.
        return Number(y.identity !== undefined) - Number(x.identity !== undefined) || x.users.length - y.users.length;
      });
      this.#accountOf.set(a, free[0] ?? null);
    }
  }

  /** Binds unbound world users to free real users of their account's real account. */
  #bindUsers(users: ReadonlyArray<readonly [string, string]>): void {
    this.#bindAccounts(users.map(([a]) => a), new Set(users.map(([a]) => a)));
    for (const [a, u] of users) {
      const key = userKey(a, u);
      if (this.#userOf.has(key)) continue;
      const real = this.#accountOf.get(a) ?? null;
      const taken = this.#boundUsers();
      this.#userOf.set(key, real?.users.find((x) => !taken.has(x)) ?? null);
    }
  }

  /** The user of `real` (which has users) to give away: a free one, else the one whose holder sent a request least recently. */
  #availableUser(real: RealAccount): RealUser {
    const holder = new Map<RealUser, string>();
    for (const [k, r] of this.#userOf) if (r !== null) holder.set(r, k);
    const score = (u: RealUser) => this.#lastUse(holder.has(u) ? `u${SEP}${holder.get(u)}` : undefined);
    return [...real.users].sort((x, y) => score(x) - score(y))[0]!;
  }

  /** Gives `user` to the world user `key`; whoever held it becomes synthetic. */
  #assignUser(key: string, user: RealUser): void {
    for (const [k, r] of this.#userOf) if (r === user && k !== key) this.#userOf.set(k, null);
    this.#userOf.set(key, user);
  }

  /**
   * A real account (not the owner's) matching `fits` for world account `account`: a free one,
   * else the one whose holder sent a request least recently (never is least).
   */
  #takeAccount(account: string, fits: (a: RealAccount) => boolean): RealAccount | undefined {
    const holder = new Map<RealAccount, string>();
    for (const [w, r] of this.#accountOf) if (r !== null) holder.set(r, w);
    const score = (a: RealAccount) => this.#lastUse(holder.has(a) ? `a${SEP}${holder.get(a)}` : undefined);
    const candidates = this.#real.others.filter((a) => fits(a) && holder.get(a) !== account);
    return candidates.sort((x, y) => score(x) - score(y) || y.users.length - x.users.length)[0];
  }

  /**
   * Moves world account `account` to `target`. A world account that held `target` gets
   * `account`'s old binding; the users of both lose theirs (a real user belongs to one real
   * account) and are bound again to free users of their new accounts.
   */
  #moveAccount(account: string, target: RealAccount): void {
    const old = this.#accountOf.get(account) ?? null;
    let other: string | undefined;
    for (const [w, r] of this.#accountOf) if (r === target && w !== account) other = w;
    if (other !== undefined) this.#accountOf.set(other, old);
    this.#accountOf.set(account, target);
    const affected = new Set([account, ...(other === undefined ? [] : [other])]);
    const rebind: Array<[string, string]> = [];
    for (const k of [...this.#userOf.keys()]) {
      const [a, u] = k.split(SEP) as [string, string];
      if (!affected.has(a)) continue;
      this.#userOf.delete(k);
      rebind.push([a, u]);
    }
    this.#bindUsers(rebind);
  }

  /**
   * Learns that `userName` is the name of world user `user` (vendor notes §1.3: a policy names a
   * user "by id or name"): entries `user/<userName>` name the same real user from now on. A
   * binding the name had on its own (a policy named it before we knew) goes to the user, unless
   * the name is the id of a user that has sent requests itself: then the world is inconsistent.
   */
  #learnName(account: string, user: string, userName: string): Acquired | undefined {
    const key = userKey(account, user);
    const nameKey = userKey(account, userName);
    const known = this.#nameOf.get(nameKey);
    if (known === key) return undefined;
    if (known !== undefined || this.#used.has(`u${SEP}${nameKey}`)) {
      return { kind: 'short', message: `world user name \`${userName}\` of account \`${shortId(account)}\` names two users` };
    }
    const asUser = this.#userOf.get(nameKey);
    if (asUser !== undefined) {
        this.#userOf.delete(nameKey);
      if ((this.#userOf.get(key) ?? null) === null) this.#userOf.set(key, asUser);
    }
    this.#nameOf.set(nameKey, key);
    return undefined;
  }
}
