/**
 * Wildcard patterns of OBS bucket policies. Action and Resource know one wildcard, `*`: "The
 * asterisk (*) indicates an empty string or any combination of characters" (vendor notes §1.5,
 * O1); `?` is literal there (§1.5 RECOMMENDATION). StringLike values also know `?`, exactly one
 * character (§1.6). Patterns are compiled once, when a policy is put, so that a decision never
 * builds a regular expression.
 */

/** A compiled pattern: whether a request string matches. */
export type StringMatcher = (value: string) => boolean;

/** Matches every string. */
export const MATCH_ALL: StringMatcher = () => true;

/**
 * Matches a value against the literal pieces between the stars of a pattern: the first piece
 * starts the value, the last ends it, the middle ones follow in order between them (the
 * leftmost occurrence of each middle piece leaves the most room for the rest).
 */
function piecesMatcher(pieces: readonly string[]): StringMatcher {
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  const middle = pieces.slice(1, -1);
  let min = 0;
  for (const piece of pieces) min += piece.length;
  return (value) => {
    if (value.length < min || !value.startsWith(first) || !value.endsWith(last)) return false;
    const end = value.length - last.length;
    let at = first.length;
    for (const piece of middle) {
      const found = value.indexOf(piece, at);
      if (found === -1 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/**
 * Compiles a pattern whose only wildcard is `*` (any run of characters, none included, `/`
 * included); everything else is literal. `ignoreCase` compares after lower-casing both sides.
 */
export function compileStarPattern(pattern: string, options: { ignoreCase?: boolean } = {}): StringMatcher {
  const ignoreCase = options.ignoreCase === true;
  const p = (ignoreCase ? pattern.toLowerCase() : pattern).replace(/\*{2,}/g, '*');
  if (p === '*') return MATCH_ALL;
  let test: StringMatcher;
  if (!p.includes('*')) test = (value) => value === p;
  else test = piecesMatcher(p.split('*'));
  return ignoreCase ? (value) => test(value.toLowerCase()) : test;
}

// Only the syntax characters may be escaped under the `u` flag.
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * Compiles a StringLike value: `*` any run of characters, `?` exactly one (vendor notes §1.6:
 * "Like values may contain `*` and `?`"). Case-sensitive unless `ignoreCase`.
 */
export function compileLikePattern(pattern: string, options: { ignoreCase?: boolean } = {}): StringMatcher {
  if (!pattern.includes('?')) return compileStarPattern(pattern, options);
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(REGEXP_SYNTAX, '\\$&');
  }
  // `s`: wildcards also match line breaks; `u`: `?` is one code point.
  const re = new RegExp(`${source}$`, options.ignoreCase === true ? 'sui' : 'su');
  return (value) => re.test(value);
}

/** How a list of patterns matched a value: not at all, by a pattern without `*`, or only by one with `*`. */
export type ListMatch = 'none' | 'exact' | 'wildcard';

/** A compiled list of patterns; any pattern may match (a statement's Action or Resource list). */
export interface PatternList {
  readonly patterns: readonly string[];
  /** How the list matches `value`; an exact pattern wins over a wildcard one, for the explanation. */
  readonly match: (value: string) => ListMatch;
}

/** Compiles a list of patterns with `compileOne`, remembering which have a `*`. */
export function compilePatternList(patterns: readonly string[], compileOne: (pattern: string) => StringMatcher): PatternList {
  const exact: StringMatcher[] = [];
  const wild: StringMatcher[] = [];
  for (const p of new Set(patterns)) (p.includes('*') ? wild : exact).push(compileOne(p));
  return {
    patterns: patterns.slice(),
    match: (value) => {
      for (const m of exact) if (m(value)) return 'exact';
      for (const m of wild) if (m(value)) return 'wildcard';
      return 'none';
    },
  };
}
