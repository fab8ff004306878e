import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { createReferenceAdapter } from '../adapters/reference/reference-adapter.ts';
import { aliAction } from '../model/alibaba-oss/actions.ts';
import { ALI_BUCKET_ACLS, type AliRequest, type AliWorld } from '../model/alibaba-oss/types.ts';
import { ConformanceError } from '../model/errors.ts';
import type { Explanation } from '../model/outcome.ts';
import { formatPath, locate, pointerToPath, positionAt } from '../suites/spec/locate.ts';

/**
 * `bucket-conformance decide`: the policy simulator. Each case (a world and one request, in
 * the format of issue #2) is decided by the reference evaluator; unusable input is a usage
 * error with its location, never a decision.
 */

/** The JSON Schema of one Alibaba OSS case. */
export const ALI_CASE_SCHEMA = {
  type: 'object',
  required: ['vendor', 'bucket', 'request'],
  additionalProperties: false,
  properties: {
    vendor: { const: 'alibaba-oss' },
    bucket: {
      type: 'object',
      required: ['name', 'owner'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        owner: { type: 'string', minLength: 1 },
        region: { type: 'string', minLength: 1 },
        acl: { enum: [...ALI_BUCKET_ACLS] },
      },
    },
    policy: {},
    request: {
      type: 'object',
      required: ['principal', 'action'],
      additionalProperties: false,
      properties: {
        principal: { type: 'string', minLength: 1 },
        action: { type: 'string', minLength: 1 },
        object: { type: 'string' },
        context: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
} as const;

/** One decision, as `decide` prints it. */
export interface DecisionOutput {
  decision: 'allow' | 'deny' | 'rejected';
  status?: number;
  code?: string;
  ec?: string;
  message?: string;
  reason?: Explanation['reason'];
  rules: string[];
  statements: number[];
}

const SUPPORTED = ['alibaba-oss'];
const ajv = new Ajv({ allErrors: true, strict: true });
const validateAli = ajv.compile(ALI_CASE_SCHEMA);

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return `unknown field \`${String(error.params['additionalProperty'])}\``;
  if (error.keyword === 'required') return `missing field \`${String(error.params['missingProperty'])}\``;
  if (error.keyword === 'const') return `must be \`${String(error.params['allowedValue'])}\``;
  if (error.keyword === 'enum') return `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
  return error.message ?? 'is not valid';
}

/**
 * Parses and checks decide input: one case or an array of cases. Every problem is a
 * `CONFORMANCE_INPUT` error located as `FILE:line:col` with the path inside the case.
 */
export function parseDecideInput(text: string, file: string): { cases: unknown[]; single: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const m = /line (\d+) column (\d+)/.exec((error as Error).message);
    const where = m ? `${file}:${m[1]}:${m[2]}` : file;
    throw new ConformanceError('CONFORMANCE_INPUT', `${where}: not JSON: ${(error as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const single = !Array.isArray(value);
  const cases = single ? [value] : (value as unknown[]);
  if (cases.length === 0) throw new ConformanceError('CONFORMANCE_INPUT', `${file}: no case (an empty array)`);
  const problems: string[] = [];
  cases.forEach((c, i) => {
    const prefix = single ? [] : [i];
    const at = (path: (string | number)[], part: 'key' | 'value' = 'value') => {
      const { line, column } = positionAt(lineCounter, locate(doc, [...prefix, ...path], part).offset);
      return `${file}:${line}:${column}${single ? '' : ` (case ${i})`}`;
    };
    const vendor = (c as { vendor?: unknown } | null)?.vendor;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      problems.push(`${at([])}: a case is a JSON object`);
      return;
    }
    if (typeof vendor === 'string' && !SUPPORTED.includes(vendor)) {
      problems.push(`${at(['vendor'])}: vendor \`${vendor}\` is not supported by decide yet; supported: ${SUPPORTED.join(', ')}`);
      return;
    }
    if (!validateAli(c)) {
      for (const e of validateAli.errors ?? []) {
        const path = pointerToPath(e.instancePath);
        const field = e.keyword === 'additionalProperties' ? [...path, String(e.params['additionalProperty'])] : path;
        const shown = formatPath(field) || 'case';
        problems.push(`${at(field, e.keyword === 'additionalProperties' ? 'key' : 'value')}: ${e.keyword === 'additionalProperties' || e.keyword === 'required' ? describe(e) + (path.length ? ` in \`${formatPath(path)}\`` : '') : `\`${shown}\` ${describe(e)}`}`);
      }
      return;
    }
    const request = (c as { request: AliRequest }).request;
    const known = aliAction(request.action);
    if (known && (known.level === 'object' || known.level === 'vector-index') && request.object === undefined) {
      problems.push(`${at(['request'])}: \`${request.action}\` acts on ${known.level === 'object' ? 'an object' : 'a vector index'}; give \`request.object\``);
    }
    if (known && (known.level === 'bucket' || known.level === 'service') && request.object !== undefined) {
      problems.push(`${at(['request', 'object'])}: \`${request.action}\` acts on the ${known.level}; remove \`request.object\``);
    }
  });
  if (problems.length) throw new ConformanceError('CONFORMANCE_INPUT', problems.join('\n'));
  return { cases, single };
}

/** Decides validated cases with the reference evaluator, in order. */
export async function decideCases(cases: readonly unknown[]): Promise<DecisionOutput[]> {
  const adapter = createReferenceAdapter();
  const out: DecisionOutput[] = [];
  try {
    for (const raw of cases) {
      const c = raw as { bucket: AliWorld['bucket']; policy?: unknown; request: AliRequest };
      const world: AliWorld = { vendor: 'alibaba-oss', bucket: c.bucket };
      if (c.policy !== undefined) world.policy = c.policy;
      const prep = await adapter.prepare(world);
      if (prep.kind === 'rejected') {
        const d: DecisionOutput = { decision: 'rejected', rules: prep.explanation?.rules ?? [], statements: [] };
        if (prep.explanation) d.reason = prep.explanation.reason;
        if (prep.status !== undefined) d.status = prep.status;
        if (prep.code !== undefined) d.code = prep.code;
        if (prep.ec !== undefined) d.ec = prep.ec;
        if (prep.message !== undefined) d.message = prep.message;
        out.push(d);
        continue;
      }
      if (prep.kind !== 'ready') throw new Error('the reference evaluator is in-process and cannot be unreachable');
      const o = await prep.observe(c.request);
      await prep.release();
      if (o.kind !== 'decided') throw new Error('the reference evaluator is in-process and cannot be unreachable');
      const d: DecisionOutput = { decision: o.decision, rules: o.explanation?.rules ?? [], statements: o.explanation?.statements ?? [] };
      if (o.status !== undefined) d.status = o.status;
      if (o.code !== undefined) d.code = o.code;
      if (o.ec !== undefined) d.ec = o.ec;
      if (o.explanation) d.reason = o.explanation.reason;
      out.push(d);
    }
  } finally {
    await adapter.close();
  }
  return out;
}
