/**
 * The bucket keys of one prepared APS world: every logical key the world or its requests name
 * becomes a real key under the world prefix, the same logical key always the same real key and
 * two logical keys never one. A createBucket key keeps its validity (aps-oss.md §1.1: the
 * pattern `^[-_.a-z0-9]{3,128}$`): a valid logical key gets a valid real key, an invalid one an
 * invalid real key, so that the target's 400 stays the answer to the same question. What the
 * prefix cannot preserve is refused with the reason, never guessed.
 */
import { APS_BUCKET_KEY_PATTERN } from '../../../model/aps-oss/types.ts';

/** The longest valid bucket key (aps-oss.md §1.1). */
export const MAX_BUCKET_KEY = 128;

/** Characters of a valid bucket key (aps-oss.md §1.1). */
const KEY_CHARACTERS = /^[-_.a-z0-9]*$/;

/** A real key, or why the logical key has none. */
export type RealKey = { kind: 'key'; key: string } | { kind: 'unsupported'; message: string };

/** What a key is used for: created by a createBucket payload (its syntax matters), or named (only its identity does). */
export type KeyUse = 'create' | 'name';

/** The map of one world's logical bucket keys to real keys under its prefix. */
export class BucketKeys {
  readonly prefix: string;
  readonly #real = new Map<string, string>();
  readonly #logical = new Map<string, string>();

  constructor(prefix: string) {
    if (!APS_BUCKET_KEY_PATTERN.test(`${prefix}abc`)) throw new Error(`the world prefix \`${prefix}\` is not the start of a valid bucket key`);
    this.prefix = prefix;
  }

  /** The real key of `logical`, for `use`. */
  real(logical: string, use: KeyUse): RealKey {
    const valid = APS_BUCKET_KEY_PATTERN.test(logical);
    const known = this.#real.get(logical);
    if (known !== undefined) {
      // A createBucket key must be as valid as its logical key; a key first named (a world's
      // bucket key, which the reference holds to no syntax) may not be.
      if (use === 'create' && valid !== APS_BUCKET_KEY_PATTERN.test(known)) return this.#cannot(logical, known);
      return { kind: 'key', key: known };
    }
    let key = `${this.prefix}${logical}`;
    if (KEY_CHARACTERS.test(logical) && logical.length <= MAX_BUCKET_KEY && key.length > MAX_BUCKET_KEY) {
      // A long valid key: the prefix replaces its first characters, so that the real key has the
      // logical key's length and stays valid (128 characters stays the edge it is).
      if (logical.length <= this.prefix.length) return this.#cannot(logical, key);
      key = `${this.prefix}${logical.slice(this.prefix.length)}`;
    }
    if (use === 'create' && valid !== APS_BUCKET_KEY_PATTERN.test(key)) return this.#cannot(logical, key);
    const taken = this.#logical.get(key);
    if (taken !== undefined && taken !== logical) {
      return { kind: 'unsupported', message: `bucket keys \`${taken}\` and \`${logical}\` would both become \`${key}\` under the run prefix` };
    }
    this.#real.set(logical, key);
    this.#logical.set(key, logical);
    return { kind: 'key', key };
  }

  /** The logical key of a real one, if this world made it. */
  logicalOf(real: string): string | undefined {
    return this.#logical.get(real);
  }

  /** An independent copy: keys mapped in one are not mapped in the other. */
  clone(): BucketKeys {
    const copy = new BucketKeys(this.prefix);
    for (const [logical, real] of this.#real) copy.#real.set(logical, real);
    for (const [real, logical] of this.#logical) copy.#logical.set(real, logical);
    return copy;
  }

  #cannot(logical: string, key: string): RealKey {
    const validity = APS_BUCKET_KEY_PATTERN.test(logical) ? 'valid' : 'invalid';
    return {
      kind: 'unsupported',
      message: `bucket key \`${logical}\` is ${validity} (\`^[-_.a-z0-9]{3,128}$\`), but every key the run may create starts with the run prefix, and \`${key}\` is not ${validity}`,
    };
  }
}
