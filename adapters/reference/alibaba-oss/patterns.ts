/**
 * Wildcard patterns of OSS bucket policies: `*` matches any run of characters (none included,
 * `/` included) and `?` exactly one character (RAM "Policy elements", vendor notes §1.2 and
 * §1.5); everything else is literal and case-sensitive. Patterns are compiled once, when a
 * policy is compiled, so that a decision never builds a regular expression.
 */

/** A compiled pattern or list of patterns: whether a request string matches. */
export type StringMatcher = (value: string) => boolean;

/** Matches every string; shared so that `*` costs nothing to compile. */
export const MATCH_ALL: StringMatcher = () => true;

/** Matches no string; used for empty lists and values that can never match. */
export const MATCH_NONE: StringMatcher = () => false;

/** Whether `pattern` contains a wildcard character (`*` or `?`). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

// Only the syntax characters may be escaped under the `u` flag (`\-` would be a SyntaxError).
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

function regexpFor(pattern: string): RegExp {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(REGEXP_SYNTAX, '\\$&');
  }
  // `s`: `*` and `?` also match line breaks; `u`: `?` is one code point, not half a surrogate pair.
  return new RegExp(`${source}$`, 'su');
}

/**
 * Compiles one pattern into a matcher: a string comparison when there is no wildcard, a
 * startsWith/endsWith/includes test for the shapes `x*`, `*x`, `x*y` and `*x*`, and a regular
 * expression with every other character escaped otherwise.
 */
export function compilePattern(pattern: string): StringMatcher {
  // A run of `*` matches exactly what one `*` matches (policies reject `**` in Action,
  // Principal and Resource, but condition values such as StringLike may contain it).
  const p = pattern.replace(/\*{2,}/g, '*');
  if (!p.includes('?')) {
    const star = p.indexOf('*');
    if (star === -1) return (value) => value === p;
    if (p === '*') return MATCH_ALL;
    const lastStar = p.lastIndexOf('*');
    if (star === lastStar) {
      const prefix = p.slice(0, star);
      const suffix = p.slice(star + 1);
      if (suffix === '') return (value) => value.startsWith(prefix);
      if (prefix === '') return (value) => value.endsWith(suffix);
      const min = prefix.length + suffix.length;
      return (value) => value.length >= min && value.startsWith(prefix) && value.endsWith(suffix);
    }
    if (star === 0 && lastStar === p.length - 1 && p.indexOf('*', 1) === lastStar) {
      const middle = p.slice(1, -1);
      return (value) => value.includes(middle);
    }
  }
  const re = regexpFor(p);
  return (value) => re.test(value);
}

/**
 * Compiles a list of patterns into one matcher that holds when any pattern matches. Literal
 * entries go into a Set when there are several, so long Action lists cost one lookup.
 */
export function compilePatternList(patterns: readonly string[], compileOne: (pattern: string) => StringMatcher = compilePattern): StringMatcher {
  const compiled: StringMatcher[] = [];
  const literals = new Set<string>();
  const useSet = compileOne === compilePattern;
  for (const pattern of patterns) {
    if (useSet && !hasWildcard(pattern)) literals.add(pattern);
    else compiled.push(compileOne(pattern));
  }
  if (literals.size > 0) {
    if (literals.size === 1 && compiled.length === 0) {
      const only = [...literals][0] as string;
      return (value) => value === only;
    }
    compiled.unshift((value) => literals.has(value));
  }
  return anyOf(compiled);
}

/** One matcher that holds when any of `matchers` holds. */
export function anyOf(matchers: readonly StringMatcher[]): StringMatcher {
  if (matchers.length === 0) return MATCH_NONE;
  if (matchers.length === 1) return matchers[0] as StringMatcher;
  if (matchers.includes(MATCH_ALL)) return MATCH_ALL;
  const list = matchers.slice();
  const n = list.length;
  return (value) => {
    for (let i = 0; i < n; i++) if ((list[i] as StringMatcher)(value)) return true;
    return false;
  };
}
