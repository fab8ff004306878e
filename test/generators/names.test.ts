import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketName, identitiesOf, nearMissBucketName, objectKey, patternMatching, patternMissing, PRINCIPAL_KINDS, scene, uid } from '../../generators/alibaba-oss/index.ts';
import { BUCKET_NAME, globMatches, plainValue, UID } from './helpers.ts';

const RUN = { seed: 1_171, numRuns: 300 };

describe('names', () => {
  it('bucketName yields valid OSS bucket names', () => {
    fc.assert(fc.property(bucketName(), (n) => BUCKET_NAME.test(n)), RUN);
  });

  it('nearMissBucketName(n) is a valid bucket name that is not n and not n at a `/` boundary', () => {
    fc.assert(
      fc.property(bucketName().chain((n) => nearMissBucketName(n).map((near) => ({ n, near }))), ({ n, near }) => {
        expect(near).not.toBe(n);
        expect(BUCKET_NAME.test(near)).toBe(true);
        expect((near + '/').startsWith(n + '/')).toBe(false);
        expect((n + '/').startsWith(near + '/')).toBe(false);
        // It differs only at its end: one name is a prefix of the other.
        expect(near.startsWith(n) || n.startsWith(near)).toBe(true);
      }),
      RUN,
    );
  });

  it('nearMissBucketName of a three-character name only extends it', () => {
    fc.assert(fc.property(fc.constantFrom('abc', 'a-0', '0-0').chain((n) => nearMissBucketName(n).map((near) => ({ n, near }))), ({ n, near }) => near.length > n.length && near.startsWith(n)), RUN);
  });

  it('uid yields 16 digits without a leading zero', () => {
    fc.assert(fc.property(uid(), (u) => UID.test(u) && !u.startsWith('0')), RUN);
  });

  it('objectKey yields one to four non-empty segments, none `.` or `..`, free of wildcards', () => {
    fc.assert(
      fc.property(objectKey(), (k) => {
        const segments = k.split('/');
        expect(segments.length).toBeGreaterThanOrEqual(1);
        expect(segments.length).toBeLessThanOrEqual(4);
        for (const seg of segments) {
          expect(seg).toMatch(/^[a-z0-9._-]{1,8}$/);
          expect(['.', '..']).not.toContain(seg);
        }
      }),
      RUN,
    );
  });
});

describe('scene', () => {
  it('has a valid bucket owned by the owner and one or more identities of every other kind, all distinct', () => {
    fc.assert(
      fc.property(scene(), (s) => {
        expect(BUCKET_NAME.test(s.bucket.name)).toBe(true);
        expect(s.owner.kind).toBe('owner');
        expect(s.bucket.owner).toBe(s.owner.principal);
        expect(s.others.some((i) => i.kind === 'owner')).toBe(false);
        const all = identitiesOf(s);
        expect(new Set(all.map((i) => i.kind))).toEqual(new Set(PRINCIPAL_KINDS));
        expect(new Set(all.map((i) => i.principal)).size).toBe(all.length);
        const keys = all.flatMap((i) => (i.accessId ? [i.accessId] : []));
        expect(new Set(keys).size).toBe(keys.length);
        for (const i of all) {
          if (i.kind === 'anonymous') {
            expect(i.principal).toBe('anonymous');
            expect(i.accessId).toBeUndefined();
          } else if (i.kind === 'role-session') {
            const role = i.role!;
            expect(i.principal).toBe(`arn:sts::${role.account}:assumed-role/${role.name}/${role.session}`);
            expect(role.account).toMatch(UID);
            expect(i.accessId).toMatch(/^STS\.[A-Za-z0-9]{16,24}$/);
            // No identity is the role's account, so no Principal naming a UID can be read as naming the session.
            expect(all.some((j) => j.principal === role.account)).toBe(false);
          } else {
            expect(i.principal).toMatch(UID);
            expect(i.accessId).toMatch(/^LTAI[A-Za-z0-9]{16,20}$/);
          }
        }
      }),
      { seed: 2_203, numRuns: 200 },
    );
  });
});

describe('wildcard patterns built from a value', () => {
  const valueAnd = (build: (v: string) => fc.Arbitrary<string>) => plainValue().chain((v) => build(v).map((p) => ({ v, p })));

  it('patternMatching(v) matches v (with `*`, and with `?` when asked)', () => {
    fc.assert(fc.property(valueAnd((v) => patternMatching(v)), ({ v, p }) => globMatches(p, v) && [...p].filter((c) => c === '*').length === 1 && !p.includes('?')), RUN);
    fc.assert(fc.property(valueAnd((v) => patternMatching(v, { question: true })), ({ v, p }) => globMatches(p, v) && [...p].filter((c) => c === '*' || c === '?').length === 1), RUN);
  });

  it('patternMatching(v, {question: true}) uses `?` in some patterns', () => {
    const patterns = fc.sample(valueAnd((v) => patternMatching(v, { question: true })), { seed: 5, numRuns: 200 });
    expect(patterns.some(({ p }) => p.includes('?'))).toBe(true);
    expect(patterns.some(({ p }) => p.includes('*'))).toBe(true);
  });

  it('patternMissing(v) does not match v and has no `**`', () => {
    fc.assert(fc.property(valueAnd(patternMissing), ({ v, p }) => !globMatches(p, v) && !p.includes('**')), RUN);
  });

  it('patternMissing of the empty value matches nothing empty', () => {
    fc.assert(fc.property(patternMissing(''), (p) => !globMatches(p, '')), RUN);
  });
});
