/**
 * The apps of one prepared APS world: each client id the world or its requests name is mapped,
 * injectively, to a real app of the target (the world's owner to the run's owner), or, when the
 * target claims `grant.any-client-id` and the id is only granted (it never acts), sent verbatim
 * in allow lists. An id granted verbatim can never act afterwards: its grants were given to the
 * verbatim id, not to an app the client holds credentials for.
 */
import type { ResolvedIdentity } from '../config.ts';

/** Why an id could not be given an app: the message of a `NOT_ENOUGH_IDENTITIES` outcome. */
export interface AppShortage {
  shortage: string;
}

/** The order in which the entries of a long allow list get apps: first, last, second, second to last, ... */
export function endsFirst(length: number): number[] {
  const order: number[] = [];
  for (let lo = 0, hi = length - 1; lo <= hi; lo++, hi--) {
    order.push(lo);
    if (hi !== lo) order.push(hi);
  }
  return order;
}

/** The map of one world's client ids to the target's apps. */
export class AppMap {
  readonly #owner: ResolvedIdentity;
  readonly #free: ResolvedIdentity[];
  readonly #real: Set<string>;
  readonly #anyClientId: boolean;
  readonly #apps = new Map<string, ResolvedIdentity>();
  readonly #verbatim = new Set<string>();

  constructor(owner: ResolvedIdentity, others: readonly ResolvedIdentity[], anyClientId: boolean) {
    this.#owner = owner;
    this.#free = [...others];
    this.#real = new Set([owner, ...others].map((a) => a.clientId!));
    this.#anyClientId = anyClientId;
  }

  /** The world's owner is the run's owner. */
  bindOwner(id: string): void {
    this.#apps.set(id, this.#owner);
  }

  /** The app of `id`, if it has one. */
  appOf(id: string): ResolvedIdentity | undefined {
    return this.#apps.get(id);
  }

  /**
   * The app that acts as `id`: its app, or the next free one. An id that was granted verbatim, or
   * that finds no free app, cannot act.
   */
  actor(id: string, why: string): ResolvedIdentity | AppShortage {
    const app = this.#apps.get(id);
    if (app !== undefined) return app;
    if (this.#verbatim.has(id)) {
      return { shortage: `client id \`${id}\` ${why}, but it was granted verbatim when no app of the target was left for it` };
    }
    const next = this.#free.shift();
    if (next === undefined) return { shortage: `client id \`${id}\` ${why}, but every app of the target is taken by another client id of the world (${this.#real.size} apps)` };
    this.#apps.set(id, next);
    return next;
  }

  /**
   * The client id an allow list names for `id`: its app's; else, while more than `reserve` apps
   * are free, a newly bound app's; else `id` itself when the target takes any client id
   * (`grant.any-client-id`), which it then holds its grants under. Without that claim every id
   * needs an app. Undefined when none of these is possible.
   */
  grantee(id: string, reserve: number): string | undefined {
    const app = this.#apps.get(id);
    if (app !== undefined) return app.clientId!;
    if (this.#verbatim.has(id)) return id;
    const bind = (): string => {
      const next = this.#free.shift()!;
      this.#apps.set(id, next);
      return next.clientId!;
    };
    // Without `grant.any-client-id` every granted id needs an app of its own.
    if (!this.#anyClientId) return this.#free.length > 0 ? bind() : undefined;
    if (this.#free.length > reserve) return bind();
    // A verbatim id must not be one of the target's real apps, or two ids would share an app.
    if (!this.#real.has(id)) {
      this.#verbatim.add(id);
      return id;
    }
    if (this.#free.length > 0) return bind();
    return undefined;
  }

  /**
   * The client id a payload the target is expected to refuse names for `id`: its app's if it has
   * one, else `id` itself, without binding anything; such a payload creates no grant. Call
   * `grantedVerbatim` with the ids sent as they are if the target accepts it after all. Without
   * `grant.any-client-id` this is `grantee`.
   */
  tentative(id: string): string | undefined {
    const app = this.#apps.get(id);
    if (app !== undefined) return app.clientId!;
    if (!this.#anyClientId || this.#real.has(id)) return this.grantee(id, 0);
    return id;
  }

  /** Records ids that now hold grants under their own name (a payload sent with `tentative` ids was accepted). */
  grantedVerbatim(ids: Iterable<string>): void {
    for (const id of ids) if (!this.#apps.has(id)) this.#verbatim.add(id);
  }

  /** An independent copy: binding ids in one does not bind them in the other. */
  clone(): AppMap {
    const copy = new AppMap(this.#owner, this.#free, this.#anyClientId);
    for (const id of this.#real) copy.#real.add(id);
    for (const [id, app] of this.#apps) copy.#apps.set(id, app);
    for (const id of this.#verbatim) copy.#verbatim.add(id);
    return copy;
  }

  /** Every app this world acts as (for removing what it created). */
  apps(): ResolvedIdentity[] {
    return [...new Set(this.#apps.values())];
  }
}
