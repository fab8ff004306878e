import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { loadApsWorld } from '../adapters/reference/aps-oss/index.ts';
import { createReferenceAdapter } from '../adapters/reference/reference-adapter.ts';
import type { Preparation } from '../adapters/types.ts';
import { aliAction } from '../model/alibaba-oss/actions.ts';
import { ALI_BUCKET_ACLS, type AliRequest, type AliWorld } from '../model/alibaba-oss/types.ts';
import { APS_ACCOUNT_OPERATIONS, APS_OPERATIONS, isObjectOperation, type ApsRequest, type ApsWorld } from '../model/aps-oss/types.ts';
import { obsAction } from '../model/huawei-obs/actions.ts';
import { OBS_ANONYMOUS, OBS_LOG_DELIVERY, type ObsGrant, type ObsRequest, type ObsWorld } from '../model/huawei-obs/types.ts';
import { ConformanceError } from '../model/errors.ts';
import type { Explanation } from '../model/outcome.ts';
import type { Request, World } from '../model/world.ts';
import { formatPath, locate, pointerToPath, positionAt } from '../suites/spec/locate.ts';

/**
 * `bucket-conformance decide`: the policy simulator. Each case (a world and one request, in
 * the format of issue #2 for Alibaba OSS, of issue #3 for APS OSS and of issue #4 for Huawei
 * OBS) is decided by the reference evaluator; unusable input is a usage error with its
 * location, never a decision.
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

/** An entry of an APS `allow` list: the fields are checked, their values are the evaluator's to judge. */
const APS_GRANT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: { authId: {}, access: {} },
} as const;

/**
 * The JSON Schema of one APS OSS case (issue #3). The shape is checked here; the values a
 * service validates (bucket keys, policy keys, access levels, the number of grants) are left
 * loose, so that an invalid bucket or payload reaches the evaluator and comes out `rejected`.
 */
export const APS_CASE_SCHEMA = {
  type: 'object',
  required: ['vendor', 'request'],
  additionalProperties: false,
  properties: {
    vendor: { const: 'aps-oss' },
    bucket: {
      type: 'object',
      required: ['key', 'owner'],
      additionalProperties: false,
      properties: {
        key: { type: 'string' },
        owner: { type: 'string', minLength: 1 },
        policyKey: {},
        allow: { type: 'array', items: APS_GRANT_SCHEMA },
      },
    },
    objects: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'uploadedBy'],
        additionalProperties: false,
        properties: {
          key: { type: 'string', minLength: 1 },
          uploadedBy: { type: 'string', minLength: 1 },
        },
      },
    },
    request: {
      type: 'object',
      required: ['actor', 'operation'],
      additionalProperties: false,
      properties: {
        actor: { type: 'string', minLength: 1 },
        operation: { enum: [...APS_OPERATIONS] },
        bucket: { type: 'string', minLength: 1 },
        object: { type: 'string', minLength: 1 },
        payload: {
          type: 'object',
          additionalProperties: false,
          properties: {
            bucketKey: {},
            policyKey: {},
            allow: { type: 'array', items: APS_GRANT_SCHEMA },
          },
        },
      },
    },
  },
} as const;

/** A grant of an OBS ACL: the fields are checked, their values are the evaluator's to judge (an unknown permission is `rejected`). */
const OBS_GRANT_SCHEMA = {
  type: 'object',
  required: ['grantee', 'permission'],
  additionalProperties: false,
  properties: {
    grantee: { type: 'object', additionalProperties: false, properties: { account: {}, group: {} } },
    permission: {},
  },
} as const;

/**
 * The JSON Schema of one Huawei OBS case (issue #4). The shape is checked here (the principal
 * by `obsProblems`, for a readable message); the values a service validates (the policy, grant
 * permissions and groups, the number of grants, the logging target) are left loose, so that an
 * invalid one reaches the evaluator and comes out `rejected`.
 */
export const OBS_CASE_SCHEMA = {
  type: 'object',
  required: ['vendor', 'bucket', 'request'],
  additionalProperties: false,
  properties: {
    vendor: { const: 'huawei-obs' },
    bucket: {
      type: 'object',
      required: ['name', 'owner'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        owner: { type: 'string', minLength: 1 },
      },
    },
    policy: {},
    acl: { type: 'array', items: OBS_GRANT_SCHEMA },
    request: {
      type: 'object',
      required: ['principal', 'action'],
      additionalProperties: false,
      properties: {
        principal: {},
        action: { type: 'string', minLength: 1 },
        object: { type: 'string', minLength: 1 },
        context: { type: 'object', additionalProperties: { type: 'string' } },
        policy: {},
        acl: { type: 'array', items: OBS_GRANT_SCHEMA },
        logging: { type: 'object', required: ['targetBucket'], additionalProperties: false, properties: { targetBucket: { type: 'string' } } },
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

const SUPPORTED = ['alibaba-oss', 'huawei-obs', 'aps-oss'];
const ajv = new Ajv({ allErrors: true, strict: true });
const validateAli = ajv.compile(ALI_CASE_SCHEMA);
const validateAps = ajv.compile(APS_CASE_SCHEMA);
const validateObs = ajv.compile(OBS_CASE_SCHEMA);

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return `unknown field \`${String(error.params['additionalProperty'])}\``;
  if (error.keyword === 'required') return `missing field \`${String(error.params['missingProperty'])}\``;
  if (error.keyword === 'const') return `must be \`${String(error.params['allowedValue'])}\``;
  if (error.keyword === 'enum') return `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
  return error.message ?? 'is not valid';
}

/** An APS case that passed the schema. */
interface ApsCase {
  vendor: 'aps-oss';
  bucket?: ApsWorld['bucket'];
  objects?: ApsWorld['objects'];
  request: ApsRequest;
}

/** The world of an APS case. */
function apsWorldOf(c: ApsCase): ApsWorld {
  const world: ApsWorld = { vendor: 'aps-oss' };
  if (c.bucket !== undefined) world.bucket = c.bucket;
  if (c.objects !== undefined) world.objects = c.objects;
  return world;
}

/**
 * The problems of an APS case that the schema cannot see: fields the operation needs or does not
 * take, objects without a bucket, and objects the named app cannot have uploaded (the world could
 * not be built: the reference target refuses the upload).
 */
function apsProblems(c: ApsCase, at: (path: (string | number)[], part?: 'key' | 'value') => string): string[] {
  const problems: string[] = [];
  const { request } = c;
  const op = request.operation;
  const account = (APS_ACCOUNT_OPERATIONS as readonly string[]).includes(op);
  if (isObjectOperation(op) && request.object === undefined) problems.push(`${at(['request'])}: \`${op}\` acts on an object; give \`request.object\``);
  if (!isObjectOperation(op) && request.object !== undefined) {
    problems.push(`${at(['request', 'object'])}: \`${op}\` acts on ${account ? 'the account' : 'the bucket'}; remove \`request.object\``);
  }
  if (op === 'createBucket' && request.payload === undefined) problems.push(`${at(['request'])}: \`createBucket\` sends a body; give \`request.payload\` (\`{bucketKey, policyKey, allow}\`)`);
  if (op !== 'createBucket' && request.payload !== undefined) problems.push(`${at(['request', 'payload'])}: only \`createBucket\` takes \`request.payload\`; remove it`);
  if (account && request.bucket !== undefined) problems.push(`${at(['request', 'bucket'])}: \`${op}\` names no bucket; remove \`request.bucket\``);
  if (!account && request.bucket === undefined && c.bucket === undefined) {
    problems.push(`${at(['request'])}: \`${op}\` acts on a bucket, and the case has none; give \`bucket\` (or \`request.bucket\`)`);
  }
  if (c.bucket === undefined && (c.objects?.length ?? 0) > 0) {
    problems.push(`${at(['objects'])}: \`objects\` need a \`bucket\` to be uploaded to`);
  } else {
    const load = loadApsWorld(apsWorldOf(c));
    if (load.kind === 'malformed' && load.object !== undefined) {
      const o = c.objects![load.object]!;
      problems.push(`${at(['objects', load.object, 'uploadedBy'])}: \`${o.uploadedBy}\` cannot have uploaded \`${o.key}\`: ${load.refusal}${load.ruleId === undefined ? '' : ` (rule ${load.ruleId})`}`);
    }
  }
  return problems;
}

/** An OBS case that passed the schema. */
interface ObsCase {
  vendor: 'huawei-obs';
  bucket: ObsWorld['bucket'];
  policy?: unknown;
  acl?: ObsGrant[];
  request: ObsRequest;
}

type Locator = (path: (string | number)[], part?: 'key' | 'value') => string;

/** The problems of an OBS request's principal: `anonymous`, `log-delivery`, or `{account, user?, userName?}` with non-empty ids (`userName` only with `user`). */
function obsPrincipalProblems(principal: unknown, at: Locator): string[] {
  const path = ['request', 'principal'];
  if (principal === OBS_ANONYMOUS || principal === OBS_LOG_DELIVERY) return [];
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    const shown = typeof principal === 'string' ? `\`${principal}\`` : JSON.stringify(principal);
    return [`${at(path)}: \`request.principal\` must be \`${OBS_ANONYMOUS}\`, \`${OBS_LOG_DELIVERY}\` or \`{account, user?}\`, not ${shown}`];
  }
  const problems: string[] = [];
  const p = principal as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (key !== 'account' && key !== 'user' && key !== 'userName') problems.push(`${at([...path, key], 'key')}: unknown field \`${key}\` in \`request.principal\`; give \`account\` and, for an IAM user, \`user\` (and optionally \`userName\`)`);
  }
  if (!('account' in p)) problems.push(`${at(path)}: missing field \`account\` in \`request.principal\``);
  for (const key of ['account', 'user']) {
    if (key in p && (typeof p[key] !== 'string' || p[key] === '')) problems.push(`${at([...path, key])}: \`request.principal.${key}\` must be a non-empty id`);
  }
  // Vendor notes §1.3: a policy names an IAM user by "<userId or userName>"; `user` is the id, `userName` the name.
  if ('userName' in p) {
    if (typeof p['userName'] !== 'string' || p['userName'] === '') problems.push(`${at([...path, 'userName'])}: \`request.principal.userName\` must be a non-empty name`);
    if (!('user' in p)) problems.push(`${at([...path, 'userName'], 'key')}: \`request.principal.userName\` names an IAM user; give its id as \`user\` too`);
  }
  return problems;
}

/**
 * The problems of an OBS case that the schema cannot see: the principal, an object the action
 * needs or does not take, and bodies on the wrong action or missing from the right one.
 */
function obsProblems(c: ObsCase, at: Locator): string[] {
  const { request } = c;
  const problems = obsPrincipalProblems(request.principal, at);
  const known = obsAction(request.action);
  if (known?.level === 'object' && request.object === undefined) problems.push(`${at(['request'])}: \`${request.action}\` acts on an object; give \`request.object\``);
  if (known?.level === 'bucket' && request.object !== undefined) problems.push(`${at(['request', 'object'])}: \`${request.action}\` acts on the bucket; remove \`request.object\``);
  const bodies = [['policy', 'PutBucketPolicy'], ['acl', 'PutBucketAcl'], ['logging', 'PutBucketLogging']] as const;
  for (const [field, action] of bodies) {
    if (request[field] !== undefined && known?.name !== action) problems.push(`${at(['request', field], 'key')}: only \`${action}\` takes \`request.${field}\`; remove it`);
  }
  // PutBucketPolicy and PutBucketAcl send a body; a PutBucketLogging without one disables logging.
  if (known?.name === 'PutBucketPolicy' && request.policy === undefined) problems.push(`${at(['request'])}: \`PutBucketPolicy\` sends a body; give \`request.policy\` (the policy)`);
  if (known?.name === 'PutBucketAcl' && request.acl === undefined) problems.push(`${at(['request'])}: \`PutBucketAcl\` sends a body; give \`request.acl\` (the whole new ACL)`);
  return problems;
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
    const validate = vendor === 'aps-oss' ? validateAps : vendor === 'huawei-obs' ? validateObs : validateAli;
    if (!validate(c)) {
      for (const e of validate.errors ?? []) {
        const path = pointerToPath(e.instancePath);
        const field = e.keyword === 'additionalProperties' ? [...path, String(e.params['additionalProperty'])] : path;
        const shown = formatPath(field) || 'case';
        problems.push(`${at(field, e.keyword === 'additionalProperties' ? 'key' : 'value')}: ${e.keyword === 'additionalProperties' || e.keyword === 'required' ? describe(e) + (path.length ? ` in \`${formatPath(path)}\`` : '') : `\`${shown}\` ${describe(e)}`}`);
      }
      return;
    }
    if (vendor === 'aps-oss') {
      problems.push(...apsProblems(c as ApsCase, at));
      return;
    }
    if (vendor === 'huawei-obs') {
      problems.push(...obsProblems(c as ObsCase, at));
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

/** What a rejected world prints. */
function rejectedOutput(prep: Extract<Preparation, { kind: 'rejected' }>): DecisionOutput {
  const d: DecisionOutput = { decision: 'rejected', rules: prep.explanation?.rules ?? [], statements: [] };
  if (prep.explanation) d.reason = prep.explanation.reason;
  if (prep.status !== undefined) d.status = prep.status;
  if (prep.code !== undefined) d.code = prep.code;
  if (prep.ec !== undefined) d.ec = prep.ec;
  if (prep.message !== undefined) d.message = prep.message;
  return d;
}

/** The world and the request of a validated case. */
function caseOf(raw: unknown): { world: World; request: Request } {
  if ((raw as { vendor: string }).vendor === 'aps-oss') {
    const c = raw as ApsCase;
    return { world: apsWorldOf(c), request: c.request };
  }
  if ((raw as { vendor: string }).vendor === 'huawei-obs') {
    const c = raw as ObsCase;
    const world: ObsWorld = { vendor: 'huawei-obs', bucket: c.bucket };
    if (c.policy !== undefined) world.policy = c.policy;
    if (c.acl !== undefined) world.acl = c.acl;
    return { world, request: c.request };
  }
  const c = raw as { bucket: AliWorld['bucket']; policy?: unknown; request: AliRequest };
  const world: AliWorld = { vendor: 'alibaba-oss', bucket: c.bucket };
  if (c.policy !== undefined) world.policy = c.policy;
  return { world, request: c.request };
}

/** Decides validated cases with the reference evaluator, in order. */
export async function decideCases(cases: readonly unknown[]): Promise<DecisionOutput[]> {
  const adapter = createReferenceAdapter();
  const out: DecisionOutput[] = [];
  try {
    for (const raw of cases) {
      const { world, request } = caseOf(raw);
      const prep = await adapter.prepare(world);
      if (prep.kind === 'rejected') {
        out.push(rejectedOutput(prep));
        continue;
      }
      if (prep.kind !== 'ready') throw new Error('the reference evaluator is in-process and cannot be unreachable');
      const o = await prep.observe(request);
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
