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
 * Matches a pattern whose only wildcard is `*`, given the literal pieces between the stars:
 * the first piece must start the value, the last must end it, and the middle ones must follow
 * in order between them. Taking the leftmost occurrence of each middle piece is always safe,
 * because it leaves the most room for the pieces after it.
 */
function piecesMatcher(pieces: readonly string[]): StringMatcher {
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  const middle = pieces.slice(1, -1);
  const n = middle.length;
  let min = 0;
  for (const piece of pieces) min += piece.length;
  return (value) => {
    if (value.length < min || !value.startsWith(first) || !value.endsWith(last)) return false;
    const end = value.length - last.length;
    let at = first.length;
    for (let i = 0; i < n; i++) {
      const piece = middle[i] as string;
      const found = value.indexOf(piece, at);
      if (found === -1 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/**
 * Compiles one pattern into a matcher: a string comparison when there is no wildcard, a
 * startsWith/endsWith/includes test for the shapes `x*`, `*x` and `*x*`, ordered substring
 * searches for any other pattern with `*` only, and a regular expression with every other
 * character escaped when the pattern has `?`.
 */
export function compilePattern(pattern: string): StringMatcher {
  // A run of `*` matches exactly what one `*` matches (policies reject `**` in Action,
  // Principal and Resource, but condition values such as StringLike may contain it).
  const p = pattern.replace(/\*{2,}/g, '*');
  if (p.includes('?')) {
    const re = regexpFor(p);
    return (value) => re.test(value);
  }
  const star = p.indexOf('*');
  if (star === -1) return (value) => value === p;
  if (p === '*') return MATCH_ALL;
  const pieces = p.split('*');
  if (pieces.length === 2) {
    const [prefix = '', suffix = ''] = pieces;
    if (suffix === '') return (value) => value.startsWith(prefix);
    if (prefix === '') return (value) => value.endsWith(suffix);
  }
  if (pieces.length === 3 && pieces[0] === '' && pieces[2] === '') {
    const middle = pieces[1] as string;
    return (value) => value.includes(middle);
  }
  return piecesMatcher(pieces);
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
