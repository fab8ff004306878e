import type { RuleResult } from '../model/result.ts';
import { formatDistribution } from './runner.ts';

/**
 * The message of a failing rule: the rule, its status and citation, and for each failing check
 * the reason, the shrunk counterexample, the seed, the path and the command that replays it.
 */
export function describeRuleFailure(result: RuleResult): string {
  const lines = [
    `${result.id} (${result.status}) ${result.verdict}: ${result.title}`,
    `  source: ${result.source.seed}: "${result.source.quote}"`,
  ];
  if (result.reading) lines.push(`  reading: ${result.reading}`);
  for (const check of result.checks) {
    if (check.verdict === 'pass') continue;
    lines.push(`  check "${check.name}" ${check.verdict}: ${check.counterexample?.sequence ? (check.message ?? '').split('\n')[0] : (check.message ?? '')}`);
    if (check.counterexample) {
      if (check.counterexample.sequence) lines.push('    shrunk sequence (the last step failed):', ...check.counterexample.sequence.map((l) => `      ${l}`));
      lines.push(`    counterexample: ${JSON.stringify(check.counterexample.case)}`);
      if (check.counterexample.requestIndex >= 0) lines.push(`    failing request: #${check.counterexample.requestIndex}`);
      lines.push(`    expected: ${JSON.stringify(check.counterexample.expected)}`);
      lines.push(`    observed: ${JSON.stringify(check.counterexample.observed)}`);
    }
    if (check.seed !== undefined) lines.push(`    seed: ${check.seed}${check.path ? `, path: ${check.path}` : ''}${check.numShrinks !== undefined ? `, shrinks: ${check.numShrinks}` : ''}`);
    if (Object.keys(check.distribution).length) lines.push(`    distribution: ${formatDistribution(check.distribution)}`);
    if (check.replay) lines.push(`    replay: ${check.replay}`);
  }
  return lines.join('\n');
}
