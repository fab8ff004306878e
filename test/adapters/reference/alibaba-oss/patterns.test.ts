import { describe, expect, it } from 'vitest';
import { compilePattern, compilePatternList } from '../../../../adapters/reference/alibaba-oss/index.ts';

function matches(pattern: string, value: string): boolean {
  return compilePattern(pattern)(value);
}

describe('compilePattern', () => {
  it('compares a pattern without wildcards exactly and case-sensitively', () => {
    expect(matches('oss:GetObject', 'oss:GetObject')).toBe(true);
    expect(matches('oss:GetObject', 'oss:getobject')).toBe(false);
    expect(matches('oss:GetObject', 'oss:GetObjectAcl')).toBe(false);
    expect(matches('oss:GetObject', 'oss:GetObjec')).toBe(false);
  });

  it('lets `*` match any run, including none and including `/`', () => {
    expect(matches('oss:Get*', 'oss:Get')).toBe(true);
    expect(matches('oss:Get*', 'oss:GetObject')).toBe(true);
    expect(matches('oss:Get*', 'oss:PutObject')).toBe(false);
    expect(matches('oss:Get*', 'xoss:GetObject')).toBe(false);
    expect(matches('b/*', 'b/x/y/z.txt')).toBe(true);
    expect(matches('*.txt', 'dir/a.txt')).toBe(true);
    expect(matches('*.txt', 'dir/a.txt.gz')).toBe(false);
    expect(matches('*', '')).toBe(true);
    expect(matches('*', 'anything/at/all')).toBe(true);
  });

  it('matches a prefix and a suffix without letting them overlap', () => {
    expect(matches('ab*ba', 'abba')).toBe(true);
    expect(matches('ab*ba', 'ab-x-ba')).toBe(true);
    expect(matches('ab*ba', 'aba')).toBe(false);
    expect(matches('ab*ba', 'abb')).toBe(false);
  });

  it('matches `*x*` anywhere and several stars in order', () => {
    expect(matches('*role*', 'arn:sts::1:assumed-role/r/s')).toBe(true);
    expect(matches('*role*', 'arn:sts::1:assumed-rule/r/s')).toBe(false);
    expect(matches('arn:sts::*:assumed-role/*/s', 'arn:sts::1:assumed-role/r/s')).toBe(true);
    expect(matches('arn:sts::*:assumed-role/*/s', 'arn:sts::1:assumed-role/r/t')).toBe(false);
    expect(matches('a*b*c', 'a-c-b')).toBe(false);
    expect(matches('a*b*c', 'a-b-c')).toBe(true);
  });

  it('lets `?` match exactly one character, a surrogate pair counting as one', () => {
    expect(matches('oss:?etObject', 'oss:GetObject')).toBe(true);
    expect(matches('oss:?etObject', 'oss:etObject')).toBe(false);
    expect(matches('oss:?etObject', 'oss:GGetObject')).toBe(false);
    expect(matches('file?.txt', 'file😀.txt')).toBe(true);
    expect(matches('file?.txt', 'file\n.txt')).toBe(true);
  });

  it('treats regular-expression characters as literals', () => {
    expect(matches('a.b*', 'axb')).toBe(false);
    expect(matches('a.b*', 'a.b')).toBe(true);
    expect(matches('a+b(1)[2]{3}|^$\\-?', 'a+b(1)[2]{3}|^$\\-x')).toBe(true);
    expect(matches('a+b(1)[2]{3}|^$\\-?', 'aab(1)[2]{3}|^$\\-x')).toBe(false);
    expect(matches('x/y?', 'x/yz')).toBe(true);
  });

  it('lets `*` match line breaks', () => {
    expect(matches('a*b', 'a\nb')).toBe(true);
    expect(matches('a*?b', 'a\n\nb')).toBe(true);
  });
});

describe('compilePatternList', () => {
  it('holds when any pattern matches, literals and wildcards mixed', () => {
    const m = compilePatternList(['oss:GetObject', 'oss:PutObject', 'oss:List*']);
    expect(m('oss:GetObject')).toBe(true);
    expect(m('oss:PutObject')).toBe(true);
    expect(m('oss:ListObjects')).toBe(true);
    expect(m('oss:DeleteObject')).toBe(false);
  });

  it('matches nothing when the list is empty', () => {
    expect(compilePatternList([])('')).toBe(false);
  });

  it('uses the given compiler for every entry', () => {
    const m = compilePatternList(['abc'], (p) => (v) => v.startsWith(p));
    expect(m('abcdef')).toBe(true);
    expect(m('ab')).toBe(false);
  });
});
