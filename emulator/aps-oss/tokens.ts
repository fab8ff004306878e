/**
 * Two-legged tokens: opaque random strings mapped to the app (client id), the scopes granted and
 * the expiry (aps-oss.md §3). The map is per process; expired tokens are dropped as new ones are
 * issued, so that a long run does not grow it without bound.
 */
import { randomBytes } from 'node:crypto';

/** The lifetime of a token: `expires_in` 3599 in the v2 examples (aps-oss.md §3 [A12]). */
export const TOKEN_LIFETIME_SECONDS = 3599;

/** What a token stands for. */
export interface TokenRecord {
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
  /** Milliseconds since the epoch; the token is refused from then on. */
  readonly expiresAt: number;
}

/** The outcome of looking a token up. */
export type TokenLookup = { kind: 'valid'; record: TokenRecord } | { kind: 'unknown' } | { kind: 'expired' };

/** The tokens an emulator has issued. */
export class TokenStore {
  readonly #tokens = new Map<string, TokenRecord>();
  #issuedSincePrune = 0;

  /** Issues a token to `clientId` with `scopes`, valid from `nowMs` for `lifetimeSeconds`. */
  issue(clientId: string, scopes: readonly string[], nowMs: number, lifetimeSeconds = TOKEN_LIFETIME_SECONDS): string {
    if (++this.#issuedSincePrune >= 256) this.prune(nowMs);
    const token = randomBytes(32).toString('base64url');
    this.#tokens.set(token, { clientId, scopes: new Set(scopes), expiresAt: nowMs + lifetimeSeconds * 1000 });
    return token;
  }

  /** Looks a token up at `nowMs`. */
  lookup(token: string, nowMs: number): TokenLookup {
    const record = this.#tokens.get(token);
    if (record === undefined) return { kind: 'unknown' };
    if (nowMs >= record.expiresAt) return { kind: 'expired' };
    return { kind: 'valid', record };
  }

  /** Drops the tokens expired at `nowMs`. */
  prune(nowMs: number): void {
    this.#issuedSincePrune = 0;
    for (const [token, record] of this.#tokens) if (nowMs >= record.expiresAt) this.#tokens.delete(token);
  }

  /** How many tokens are held (for tests of the pruning). */
  get size(): number {
    return this.#tokens.size;
  }
}
