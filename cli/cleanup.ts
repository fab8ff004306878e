/**
 * `bucket-conformance cleanup --target-config FILE --run-prefix P`: removes what an interrupted
 * live run left on its target, every bucket whose name starts with the run prefix (and only
 * those), with their objects.
 */
import { parseArgs } from 'node:util';
import { cleanupRun } from '../adapters/http/http-adapter.ts';
import { isRunPrefix } from '../adapters/http/run.ts';
import { EXIT, usage } from './args.ts';

/** Runs `cleanup`: exit 0 when everything with the prefix is gone, 1 when something could not be removed. */
export async function commandCleanup(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { 'target-config': { type: 'string' }, 'run-prefix': { type: 'string' } }, allowPositionals: true });
  if (positionals.length > 0) usage(`cleanup takes no positional argument, got \`${positionals[0]}\``);
  const file = values['target-config'];
  const prefix = values['run-prefix'];
  if (file === undefined) usage('cleanup needs --target-config FILE');
  if (prefix === undefined) usage('cleanup needs --run-prefix P (a run prints its prefix when it starts)');
  if (!isRunPrefix(prefix)) usage(`--run-prefix: \`${prefix}\` is not a run prefix (such as \`bcrun-mi2x7k3a-q3fz-\`); cleanup never acts on a shorter prefix`);
  const summary = await cleanupRun(file, prefix);
  process.stdout.write(`removed ${summary.buckets} bucket(s) and ${summary.objects} object(s) under \`${prefix}\`\n`);
  for (const failure of summary.failures) process.stderr.write(`could not remove: ${failure}\n`);
  return summary.failures.length === 0 ? EXIT.ok : EXIT.nonconformance;
}
