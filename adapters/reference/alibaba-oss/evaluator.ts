/** The evaluator as one object: parse, compile and evaluate built from one set of semantics. */
import type { AliRequest, AliWorld } from '../../../model/alibaba-oss/types.ts';
import { compilePolicy, evaluate, type AliDecision, type CompiledAliPolicy } from './evaluate.ts';
import { parsePolicy, type AliPolicyAst, type AliPolicyRejection } from './parse.ts';
import { DOCUMENTED_SEMANTICS, type AliSemantics } from './semantics.ts';

/** An evaluator built from one set of semantics: parse, compile, evaluate, as separate steps. */
export interface AliEvaluator {
  readonly semantics: AliSemantics;
  parse(text: string | Uint8Array): AliPolicyAst | AliPolicyRejection;
  compile(ast: AliPolicyAst | undefined): CompiledAliPolicy;
  evaluate(compiled: CompiledAliPolicy, world: AliWorld, request: AliRequest): AliDecision;
}

/** Builds an evaluator whose steps are the documented ones, except those in `overrides` (for fault injection). */
export function createAliEvaluator(overrides: Partial<AliSemantics> = {}): AliEvaluator {
  // An entry given as undefined keeps the documented step, as if it had been left out.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, step]) => step !== undefined));
  const semantics: AliSemantics = Object.keys(given).length === 0 ? DOCUMENTED_SEMANTICS : Object.freeze({ ...DOCUMENTED_SEMANTICS, ...given });
  return {
    semantics,
    parse: parsePolicy,
    compile: (ast) => compilePolicy(ast, semantics),
    evaluate,
  };
}
