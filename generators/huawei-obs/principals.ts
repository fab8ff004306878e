import * as fc from 'fast-check';
import type { ObsPrincipal } from '../../model/huawei-obs/types.ts';
import { flipCase, freshId } from './names.ts';
import type { ObsIdentity, ObsScene } from './scene.ts';

/**
 * Principal elements in the OBS format (seed 003; vendor notes §1.3; semantics of issue #4),
 * built to cover an identity or to miss it:
 * - `"*"`, `{"ID": "*"}`, `{"ID": ["*", ...]}`: everyone, anonymous and log delivery included;
 * - `domain/<A>:user/*`: account A and all its IAM users;
 * - `domain/<A>` and `domain/<A>:root`: account A itself, none of its IAM users;
 * - `domain/<A>:user/<U>`: IAM user U of A (case-sensitive);
 * - `{"Federated": ...}`: accepted, and matches none of the suite's principals.
 */

/** The forms a Principal element takes, as the distributions count them. */
export const OBS_PRINCIPAL_FORMS = ['star', 'id-star', 'account-users', 'account', 'account-root', 'user'] as const;
/** One form; `federated` is a Principal of another key, which names none of the suite's principals. */
export type ObsPrincipalForm = (typeof OBS_PRINCIPAL_FORMS)[number] | 'federated';

/** A Principal element of a statement. */
export type ObsPrincipalElement = '*' | { ID: string | string[] } | { Federated: string };

/** The forms of a single principal ID (everything but the wildcards and other keys). */
type IdForm = 'account-users' | 'account' | 'account-root' | 'user';

/** One principal ID: its form, the account and user it names, and its text. */
export interface PrincipalId {
  form: IdForm;
  account: string;
  user?: string;
  text: string;
}

/** A Principal element and the form of the entry that decides whether it covers the identity. */
export interface BuiltPrincipal {
  value: ObsPrincipalElement;
  form: ObsPrincipalForm;
}

/** The ID of `form` for `account` (and `user`, for the user form). */
export function principalId(form: IdForm, account: string, user?: string): PrincipalId {
  switch (form) {
    case 'account-users':
      return { form, account, text: `domain/${account}:user/*` };
    case 'account':
      return { form, account, text: `domain/${account}` };
    case 'account-root':
      return { form, account, text: `domain/${account}:root` };
    case 'user':
      if (user === undefined) throw new Error('a user ID needs a user');
      return { form, account, user, text: `domain/${account}:user/${user}` };
  }
}

/** Whether an ID built here names `p`, by the form it was built with. */
function idNames(id: PrincipalId, p: ObsPrincipal): boolean {
  if (typeof p === 'string') return false;
  if (id.account !== p.account) return false;
  if (id.form === 'account-users') return true;
  if (id.form === 'user') return p.user === id.user;
  return p.user === undefined;
}

/** Every ID the scene's accounts and users give, in each form. */
function sceneIds(s: ObsScene): PrincipalId[] {
  const accounts = new Set<string>();
  const out: PrincipalId[] = [];
  for (const i of s.identities) {
    if (typeof i.principal === 'string') continue;
    accounts.add(i.principal.account);
    if (i.principal.user !== undefined) out.push(principalId('user', i.principal.account, i.principal.user));
  }
  for (const a of accounts) for (const form of ['account-users', 'account', 'account-root'] as const) out.push(principalId(form, a));
  return out;
}

/** IDs of the scene that do not name `identity`, for padding lists. */
export function idsMissing(s: ObsScene, identity: ObsIdentity): string[] {
  return sceneIds(s)
    .filter((id) => !idNames(id, identity.principal))
    .map((id) => id.text);
}

/** The forms a Principal element can take to cover an identity. */
export function coveringPrincipalForms(identity: ObsIdentity): ObsPrincipalForm[] {
  const p = identity.principal;
  if (typeof p === 'string') return ['star', 'id-star'];
  return p.user === undefined ? ['star', 'id-star', 'account-users', 'account', 'account-root'] : ['star', 'id-star', 'account-users', 'user'];
}

/** The forms a Principal element can take to miss an identity (the wildcards never miss). */
export function missingPrincipalForms(): ObsPrincipalForm[] {
  return ['account-users', 'account', 'account-root', 'user', 'federated'];
}

/** `{"ID": decisive}` or `{"ID": [decisive, ...padding]}` in some order. */
function idElement(decisive: string, padding: readonly string[]): fc.Arbitrary<ObsPrincipalElement> {
  return fc
    .record({ extras: padding.length === 0 ? fc.constant<string[]>([]) : fc.shuffledSubarray([...padding], { maxLength: 2 }), scalar: fc.boolean(), at: fc.nat() })
    .map(({ extras, scalar, at }) => {
      if (scalar && extras.length === 0) return { ID: decisive };
      const list = [...extras];
      list.splice(at % (list.length + 1), 0, decisive);
      return { ID: list };
    });
}

function pick(forms: readonly ObsPrincipalForm[], wanted: ObsPrincipalForm | undefined, what: string): fc.Arbitrary<ObsPrincipalForm> {
  if (wanted === undefined) return fc.constantFrom(...forms);
  if (!forms.includes(wanted)) throw new Error(`no Principal of form ${wanted} can ${what} this identity`);
  return fc.constant(wanted);
}

/** A Principal element that covers `identity`, of `form` when given (else any form that can). */
export function principalCovering(s: ObsScene, identity: ObsIdentity, options: { form?: ObsPrincipalForm } = {}): fc.Arbitrary<BuiltPrincipal> {
  const padding = idsMissing(s, identity);
  return pick(coveringPrincipalForms(identity), options.form, 'cover').chain((form): fc.Arbitrary<BuiltPrincipal> => {
    if (form === 'star') return fc.constant({ value: '*' as const, form });
    if (form === 'id-star') return idElement('*', padding).map((value) => ({ value, form }));
    const p = identity.principal as { account: string; user?: string };
    return idElement(principalId(form as IdForm, p.account, p.user).text, padding).map((value) => ({ value, form }));
  });
}

/**
 * The decisive ID of `form` built to miss `identity`: another account's (a scene account or a
 * fresh one); for an IAM user also its own account's root or account ID, another user of its
 * account, and its own user id with one letter's case changed; for an account, its own users.
 */
function missingId(s: ObsScene, identity: ObsIdentity, form: IdForm): fc.Arbitrary<PrincipalId> {
  const p = identity.principal;
  const own = typeof p === 'string' ? undefined : p;
  const sceneAccounts = [...new Set(s.identities.flatMap((i) => (typeof i.principal === 'string' ? [] : [i.principal.account])))];
  const fresh = freshId(s);
  const options: fc.Arbitrary<PrincipalId>[] = [];
  const others = sceneAccounts.filter((a) => a !== own?.account);
  if (form === 'user') {
    const sceneUsers = sceneIds(s).filter((id) => id.form === 'user' && !idNames(id, p));
    if (sceneUsers.length > 0) options.push(fc.constantFrom(...sceneUsers));
    options.push(fc.tuple(fc.constantFrom(...sceneAccounts), fresh).map(([a, u]) => principalId('user', a, u)));
    if (own?.user !== undefined) {
      const user = own.user;
      const account = own.account;
      // User ids are case-sensitive (O1): the same id with one letter's case changed names nobody here.
      options.push(fc.tuple(fc.nat(), fresh).map(([at, u]) => principalId('user', account, flipCase(user, at) ?? u)));
    }
  } else {
    options.push(fc.constantFrom(...others).map((a) => principalId(form, a)));
    options.push(fresh.map((a) => principalId(form, a)));
    // An IAM user is not its account: `domain/<A>` and `domain/<A>:root` miss A's users.
    if (own?.user !== undefined && form !== 'account-users') options.push(fc.constant(principalId(form, own.account)));
  }
  return fc.oneof(...options).filter((id) => !idNames(id, p));
}

/** A Principal element that misses `identity`, of `form` when given (else any form that can). */
export function principalMissing(s: ObsScene, identity: ObsIdentity, options: { form?: ObsPrincipalForm } = {}): fc.Arbitrary<BuiltPrincipal> {
  const padding = idsMissing(s, identity);
  return pick(missingPrincipalForms(), options.form, 'miss').chain((form): fc.Arbitrary<BuiltPrincipal> => {
    if (form === 'federated') {
      // Another key than ID: accepted, and no requester of the suite is a federated user.
      return fc.tuple(fc.constantFrom(s.bucket.owner, ...padding.map((t) => t.split(/[/:]/)[1]!)), fc.constantFrom('saml-idp', 'corp-ldap', 'oidc'))
        .map(([account, idp]) => ({ value: { Federated: `domain/${account}:identity-provider/${idp}` }, form }));
    }
    return missingId(s, identity, form as IdForm).chain((id) => idElement(id.text, padding).map((value) => ({ value, form })));
  });
}
