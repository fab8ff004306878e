/**
 * Compiles a validated OBS policy into matchers, once, when it is put: everything about a
 * statement that does not depend on the request.
 */
import { compileConditionCheck, isNegated, type ObsConditionCheck } from './conditions.ts';
import type { ObsPolicyAst, ObsPrincipalIdAst, ObsStatementAst } from './parse.ts';
import { compilePatternList, type PatternList } from './patterns.ts';
import type { ObsSemantics } from './semantics.ts';

/** One statement, compiled. */
export interface CompiledObsStatement {
  /** Position in the policy's `Statement` list (0-based). */
  readonly index: number;
  readonly deny: boolean;
  /** Whether the statement names who it does NOT apply to (NotPrincipal). */
  readonly notPrincipal: boolean;
  readonly principals: readonly ObsPrincipalIdAst[];
  readonly notAction: boolean;
  readonly actions: PatternList;
  readonly notResource: boolean;
  readonly resources: PatternList;
  /** The operator-key checks of the Condition, or null without one (or with `{}`). */
  readonly conditions: readonly ObsConditionCheck[] | null;
}

/** A compiled policy. */
export interface CompiledObsPolicy {
  readonly statements: readonly CompiledObsStatement[];
}

function compileStatement(st: ObsStatementAst, index: number, semantics: ObsSemantics): CompiledObsStatement {
  const conditions: ObsConditionCheck[] = [];
  for (const block of st.conditions ?? []) {
    for (const { key, values } of block.keys) {
      const missing = semantics.missingKeyHolds(block.operator, isNegated(block.operator));
      conditions.push(compileConditionCheck(block.operator, key, values, semantics, missing));
    }
  }
  return {
    index,
    deny: st.effect === 'Deny',
    notPrincipal: st.principal.not,
    principals: st.principal.ids,
    notAction: st.action.not,
    actions: compilePatternList(st.action.patterns, semantics.compileActionPattern),
    notResource: st.resource.not,
    resources: compilePatternList(st.resource.patterns, semantics.compileResourcePattern),
    conditions: conditions.length === 0 ? null : conditions,
  };
}

/**
 * Compiles a validated policy with the given semantics. Statements are numbered by their
 * position in `ast.statements` (which a merging policy step may have rebuilt).
 */
export function compilePolicy(ast: ObsPolicyAst, semantics: ObsSemantics): CompiledObsPolicy {
  return { statements: ast.statements.map((st, i) => compileStatement(st, i, semantics)) };
}
