import * as fc from 'fast-check';
import { ALI_ACTIONS, aliActionsAt, type ActionLevel, type AliAction } from '../../model/alibaba-oss/actions.ts';

/**
 * Actions and action patterns (ALI-ACTION-WILDCARD). Patterns are of the realistic shapes the
 * documents use: an exact name, `oss:*`, `*`, a prefix of whole words (`oss:Get*`) or a suffix
 * of whole words (`oss:*Acl`). Whether a pattern covers an action is known from how it is built.
 */

/** The shape of an action pattern, as counted in distributions. */
export type ActionPatternForm = 'exact' | 'service' | 'all' | 'prefix' | 'suffix';

/** An action pattern and its shape. */
export interface ActionPattern {
  pattern: string;
  form: ActionPatternForm;
}

function words(action: string): string[] {
  return action.replace(/^oss:/, '').match(/[A-Z][a-z0-9]*/g) ?? [];
}

/**
 * A catalogue action, of one of `levels` when given, and among `available` when given (the
 * actions a target can be sent).
 */
export function action(levels?: readonly ActionLevel[], available?: ReadonlySet<string>): fc.Arbitrary<AliAction> {
  const pool = availableActions(levels ? ALI_ACTIONS.filter((a) => levels.includes(a.level)) : ALI_ACTIONS, available);
  if (pool.length === 0) throw new Error(`no action of levels ${levels?.join(', ') ?? 'any'} is available`);
  return fc.constantFrom(...pool);
}

/** The actions of `pool` a target can be sent: all of them when `available` is not given. */
export function availableActions(pool: readonly AliAction[], available: ReadonlySet<string> | undefined): AliAction[] {
  return available === undefined ? [...pool] : pool.filter((a) => available.has(a.name));
}

/** Every prefix-of-words and suffix-of-words pattern of an action, with the action's own name first. */
function wordPatterns(name: string): ActionPattern[] {
  const w = words(name);
  const out: ActionPattern[] = [{ pattern: name, form: 'exact' }];
  for (let k = 1; k < w.length; k++) {
    out.push({ pattern: `oss:${w.slice(0, k).join('')}*`, form: 'prefix' });
    out.push({ pattern: `oss:*${w.slice(k).join('')}`, form: 'suffix' });
  }
  return out;
}

/**
 * Whether a pattern of the shapes built here covers `name`: exact names by equality, `P*` by
 * prefix, `*S` by suffix, `*` everything. Only for patterns this module built.
 */
export function patternCovers(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('oss:*')) return name.startsWith('oss:') && name.endsWith(pattern.slice(5));
  return pattern === name;
}

/** A pattern that covers the action `name`, its shape chosen first so that every shape is common. */
export function actionPatternCovering(name: string): fc.Arbitrary<ActionPattern> {
  const byForm = new Map<ActionPatternForm, ActionPattern[]>();
  for (const p of [...wordPatterns(name), { pattern: 'oss:*', form: 'service' as const }, { pattern: '*', form: 'all' as const }]) {
    byForm.set(p.form, [...(byForm.get(p.form) ?? []), p]);
  }
  return fc.constantFrom(...byForm.keys()).chain((form) => fc.constantFrom(...byForm.get(form)!));
}

/** All patterns built from catalogue actions that do not cover `name`. */
function patternsMissing(name: string): ActionPattern[] {
  const seen = new Set<string>();
  const out: ActionPattern[] = [];
  for (const other of ALI_ACTIONS) {
    for (const p of wordPatterns(other.name)) {
      if (!seen.has(p.pattern) && !patternCovers(p.pattern, name)) {
        seen.add(p.pattern);
        out.push(p);
      }
    }
  }
  return out;
}

const missingCache = new Map<string, ActionPattern[]>();

/** A pattern that does not cover the action `name`: another action, or a word prefix or suffix it lacks. */
export function actionPatternMissing(name: string): fc.Arbitrary<ActionPattern> {
  let pool = missingCache.get(name);
  if (!pool) {
    pool = patternsMissing(name);
    missingCache.set(name, pool);
  }
  return fc.constantFrom(...pool);
}

/** A catalogue action of the same level as `name` that no pattern in `patterns` covers, if any. */
export function actionsOutside(patterns: readonly string[], level: ActionLevel): AliAction[] {
  return aliActionsAt(level).filter((a) => !patterns.some((p) => patternCovers(p, a.name)));
}
