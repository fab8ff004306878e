import * as fc from 'fast-check';
import type { OneOrMany } from '../../model/alibaba-oss/types.ts';
import { identitiesOf, roleSessionArn, type Identity, type Scene } from './identities.ts';
import { roleOrSessionName } from './names.ts';

/**
 * Principal elements built to cover an identity, or to miss it (ALI-WILDCARD-OWNER,
 * ALI-WILDCARD-COND-OWNER, ALI-EMPTY-PRINCIPAL, ALI-PRINCIPAL-STS).
 */

/** How a Principal element names (or fails to name) the identity, as counted in distributions. */
export type PrincipalForm =
  | 'uid'
  | 'session-arn'
  | 'role-wildcard'
  | 'wildcard'
  | 'empty'
  | 'others'
  | 'other-session'
  | 'other-role'
  | 'changed-case'
  | 'wildcard-owner-exempt';

/** A Principal element and how it relates to the identity it was built for. */
export interface BuiltPrincipal {
  value: OneOrMany;
  form: PrincipalForm;
  /** Whether the element is `*` (in any of its spellings) or `[]`. */
  wildcard: boolean;
}

/** Principal strings of the scene's other identities that do not name `identity` (never `*`). */
function othersOf(s: Scene, identity: Identity): string[] {
  return identitiesOf(s)
    .filter((i) => i.principal !== identity.principal && i.kind !== 'anonymous')
    .map((i) => i.principal);
}

function listWith(required: string[], extras: string[]): fc.Arbitrary<string[]> {
  return fc.shuffledSubarray(extras, { maxLength: 2 }).chain((picked) => fc.shuffledSubarray([...required, ...picked], { minLength: required.length + picked.length, maxLength: required.length + picked.length }));
}

function shape(list: fc.Arbitrary<string[]>, form: PrincipalForm, wildcard: boolean): fc.Arbitrary<BuiltPrincipal> {
  return fc.tuple(list, fc.boolean()).map(([entries, scalar]) => ({
    value: scalar && entries.length === 1 ? entries[0]! : entries,
    form,
    wildcard,
  }));
}

/** `*` as a scalar, `["*"]`, `*` among other principals, or (when `empty`) `[]`. */
function wildcardPrincipal(s: Scene, identity: Identity, empty: boolean): fc.Arbitrary<BuiltPrincipal> {
  const star = shape(listWith(['*'], othersOf(s, identity)), 'wildcard', true);
  if (!empty) return star;
  return fc.oneof({ weight: 3, arbitrary: star }, { weight: 1, arbitrary: fc.constant<BuiltPrincipal>({ value: [], form: 'empty', wildcard: true }) });
}

/**
 * A Principal element that covers `identity`. A wildcard covers the bucket owner only in a
 * statement with a Condition (ALI-WILDCARD-OWNER), so `withCondition` must say whether the
 * statement will have one; `wildcard` chooses between naming the identity and `*`.
 */
export function principalCovering(
  s: Scene,
  identity: Identity,
  options: { withCondition: boolean; wildcard?: 'never' | 'always' | 'maybe'; empty?: boolean },
): fc.Arbitrary<BuiltPrincipal> {
  const mode = options.wildcard ?? 'maybe';
  const canWildcard = identity.kind !== 'owner' || options.withCondition;
  // `[]` is kept away from the owner unless asked for: whether it carries the owner exception is
  // open question 6, which only ALI-EMPTY-PRINCIPAL's own property settles.
  const wild = wildcardPrincipal(s, identity, options.empty ?? identity.kind !== 'owner');
  const extras = othersOf(s, identity);
  let named: fc.Arbitrary<BuiltPrincipal> | undefined;
  if (identity.kind === 'role-session' && identity.role) {
    const { account, name } = identity.role;
    named = fc.oneof(
      shape(listWith([identity.principal], extras), 'session-arn', false),
      shape(listWith([roleSessionArn(account, name, '*')], extras), 'role-wildcard', false),
    );
  } else if (identity.kind !== 'anonymous') {
    named = shape(listWith([identity.principal], extras), 'uid', false);
  }
  if (mode === 'always' || !named) {
    if (!canWildcard) throw new Error('a wildcard principal cannot cover the owner in a statement without a Condition');
    return wild;
  }
  if (mode === 'never' || !canWildcard) return named;
  return fc.oneof({ weight: 2, arbitrary: named }, { weight: 1, arbitrary: wild });
}

function changeCase(name: string, at: number): string {
  const letters = [...name].map((c, i) => ({ c, i })).filter(({ c }) => /[a-z]/.test(c));
  const pick = letters[at % letters.length]!;
  return name.slice(0, pick.i) + pick.c.toUpperCase() + name.slice(pick.i + 1);
}

/**
 * A Principal element that misses `identity`: other principals only; for role sessions also
 * another session or role of the same account, or the name with one letter's case changed; for
 * the owner also `*` without a Condition (ALI-WILDCARD-OWNER), when `withCondition` is false.
 */
export function principalMissing(s: Scene, identity: Identity, options: { withCondition: boolean }): fc.Arbitrary<BuiltPrincipal> {
  const others = othersOf(s, identity);
  const options_: fc.Arbitrary<BuiltPrincipal>[] = [];
  if (others.length > 0) {
    options_.push(shape(fc.shuffledSubarray(others, { minLength: 1, maxLength: 3 }), 'others', false));
  }
  if (identity.kind === 'role-session' && identity.role) {
    const { account, name, session } = identity.role;
    options_.push(
      roleOrSessionName().filter((n) => n !== session).map((other) => ({ value: [roleSessionArn(account, name, other)], form: 'other-session' as const, wildcard: false })),
      roleOrSessionName().filter((n) => n !== name).map((other) => ({ value: [roleSessionArn(account, other, '*')], form: 'other-role' as const, wildcard: false })),
      fc.tuple(fc.nat(20), fc.boolean()).map(([at, inRole]) => ({
        value: [inRole ? roleSessionArn(account, changeCase(name, at), session) : roleSessionArn(account, name, changeCase(session, at))],
        form: 'changed-case' as const,
        wildcard: false,
      })),
    );
  }
  if (identity.kind === 'owner' && !options.withCondition) {
    options_.push(wildcardPrincipal(s, identity, false).map((p) => ({ ...p, form: 'wildcard-owner-exempt' as const })));
  }
  return fc.oneof(...options_);
}
