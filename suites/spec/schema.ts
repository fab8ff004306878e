import { ALI_BUCKET_ACLS } from '../../model/alibaba-oss/types.ts';
import { APS_ROLES, APS_TARGETS } from '../../model/aps-oss/matrix.ts';
import { APS_OBJECT_OPERATIONS, APS_OPERATIONS } from '../../model/aps-oss/types.ts';
import { OBS_ACTIONS } from '../../model/huawei-obs/actions.ts';
import { OBS_ACL_GROUPS, OBS_ACL_PERMISSIONS, OBS_ANONYMOUS, OBS_LOG_DELIVERY } from '../../model/huawei-obs/types.ts';
import { CAPABILITIES } from '../../model/capabilities.ts';
import { DECISIONS } from '../../model/outcome.ts';
import { RULE_STATUSES } from '../../model/rule.ts';
import { VENDORS } from '../../model/vendors.ts';
import type { Vendor } from '../../model/vendors.ts';
import type { JsonSchema } from '../properties/types.ts';

/** Syntax of a rule id: a RULES.md id (`ALI-LIMIT-SIZE`) or a child id (`ALI-LIMIT-SIZE.error-code`). */
export const RULE_ID_PATTERN = '^[A-Z]+(?:-[A-Z0-9]+)+(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)?$';

/** Syntax of the rule id of an APS access matrix entry: an `APS-*` id or child id. */
export const APS_RULE_ID_PATTERN = '^APS(?:-[A-Z0-9]+)+(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)?$';

/**
 * Non-standard annotations that editors built on vscode-json-languageservice (the YAML language
 * server among them) show instead of their own message; the loader uses them the same way.
 */
export const MESSAGE_KEYWORDS = ['errorMessage', 'patternErrorMessage'] as const;

const EXPECTATION_MESSAGE = 'expected `allow`, `deny`, `rejected` or a map {decision, status, code, ec}';
const WORLD_EXPECTATION_MESSAGE = 'expected `allow`, `rejected` or a map {decision, status, code, ec}';
const STATUS_MESSAGE = 'expected an HTTP status (100 to 599), `4xx` or `5xx`';

const text = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });

/** A string, the short form of an expectation, or a map; anything else gets one clear message. */
function expectation(decisions: readonly string[], message: string, description: string, withEc = true): JsonSchema {
  return {
    description,
    if: { type: 'string' },
    then: { enum: decisions, errorMessage: message },
    else: {
      if: { type: 'object' },
      then: {
        additionalProperties: false,
        required: ['decision'],
        properties: {
          decision: { enum: decisions },
          status: { $ref: '#/definitions/httpStatus' },
          code: text('the error code, such as `AccessDenied`'),
          ...(withEc ? { ec: text('the Alibaba Cloud EC, such as `0003-00000001`; quote it in YAML') } : {}),
        },
      },
      else: { not: {}, errorMessage: message },
    },
  };
}

/** A client id of an APS app, as examples write them: letters and digits, never the seed's masked `*****`. */
function clientId(description: string): JsonSchema {
  return {
    type: 'string',
    pattern: '^[A-Za-z0-9]{16,64}$',
    patternErrorMessage: 'expected a client id: 16 to 64 letters and digits (the seed masks its example id with `*`; write a whole one)',
    description,
  };
}

/** One `{authId, access}` entry of an APS allow list; `access` is any string, so that invalid values can be submitted. */
const APS_GRANT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['authId', 'access'],
  properties: {
    authId: clientId('the client id granted access'),
    access: { type: 'string', description: '`full`, `read` or `write`; anything else is submitted as written (APS-GRANT-ACCESS-VALUES)' },
  },
};

const APS_ALLOW: JsonSchema = { type: 'array', items: APS_GRANT, description: 'the allow list: keys other than the owner and their access level' };

/** An OBS account id, as seed 003 writes them: 32 lower-case hex digits. */
function obsAccountId(description: string): JsonSchema {
  return {
    type: 'string',
    pattern: '^[0-9a-f]{32}$',
    patternErrorMessage: 'expected an account id: 32 lower-case hex digits, as seed 003 writes them (`783fc6652cf246c096ea836694f71855`); quote it in YAML',
    description,
  };
}

/**
 * One grant of an OBS bucket ACL. The grantee is an account or a group and the permission any
 * string, so that invalid grants can be submitted (a PutBucketAcl body, or a world, is then rejected).
 */
const OBS_GRANT: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['grantee', 'permission'],
  properties: {
    grantee: {
      description: `\`{account: <id>}\` (the account and all its IAM users) or \`{group: <name>}\` with ${OBS_ACL_GROUPS.map((g) => `\`${g}\``).join(', ')}`,
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      errorMessage: 'expected a grantee `{account: <id>}` or `{group: <name>}`',
      properties: {
        account: { type: 'string', description: 'the account granted; any string, so that invalid grantees can be submitted' },
        group: { type: 'string', description: `${OBS_ACL_GROUPS.join(', ')}; anything else is submitted as written` },
      },
    },
    permission: { type: 'string', description: `${OBS_ACL_PERMISSIONS.join(', ')}; anything else is submitted as written` },
  },
};

const OBS_ACL: JsonSchema = { type: 'array', items: OBS_GRANT, description: 'a whole bucket ACL: the grants, in order' };

const OBS_POLICY: JsonSchema = {
  description: 'a bucket policy: a JSON value (submitted compactly serialized), or a string holding the exact policy text',
  not: { type: 'null' },
  errorMessage: 'expected a policy (a JSON value) or a string with the exact policy text',
};

const OBS_OBJECT_ACTIONS = OBS_ACTIONS.filter((a) => a.level === 'object').map((a) => a.name);

/** A request body that only one action sends. */
function obsBody(field: string, action: string, what: string): JsonSchema {
  return {
    if: { required: ['action'], properties: { action: { const: action } } },
    then: { required: [field], errorMessage: `\`${action}\` sends ${what}` },
    else: { properties: { [field]: { not: {}, errorMessage: `only \`${action}\` sends \`${field}\`` } } },
  };
}

/** Worlds and requests of example checks, by vendor (model/world.ts). */
const VENDOR_WORLDS: Record<Vendor, { world: JsonSchema; request: JsonSchema }> = {
  'alibaba-oss': {
    world: {
      description: 'A bucket with its owner, and optionally a bucket policy.',
      type: 'object',
      additionalProperties: false,
      required: ['bucket'],
      properties: {
        bucket: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'owner'],
          properties: {
            name: {
              type: 'string',
              pattern: '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$',
              patternErrorMessage: 'expected a bucket name: 3 to 63 lower-case letters, digits and hyphens',
            },
            owner: text('the UID of the owning account; quote it in YAML'),
            region: text('region id used in resource names, default `cn-hangzhou`'),
            acl: { enum: ALI_BUCKET_ACLS, description: 'bucket ACL, default `private`' },
          },
        },
        policy: {
          description: 'the bucket policy: a JSON value, or a string holding the exact policy text',
          not: { type: 'null' },
          errorMessage: 'expected a policy (a JSON value) or a string with the exact policy text',
        },
      },
    },
    request: {
      type: 'object',
      additionalProperties: false,
      required: ['principal', 'action'],
      properties: {
        principal: text('a UID, `arn:sts::<uid>:assumed-role/<role>/<session>`, or `anonymous`; quote UIDs in YAML'),
        action: {
          type: 'string',
          pattern: '^oss:[A-Za-z]+$',
          patternErrorMessage: 'expected an OSS action such as `oss:GetObject`',
        },
        object: text('the object key; absent for bucket-level actions'),
        context: {
          description: 'condition keys of the request and their values; an absent key is absent from the request',
          type: 'object',
          additionalProperties: { type: 'string' },
        },
      },
    },
  },
  'huawei-obs': {
    world: {
      description: 'A bucket with its owner, optionally a bucket policy, and optionally a bucket ACL (absent: the default private ACL, the owner with FULL_CONTROL).',
      type: 'object',
      additionalProperties: false,
      required: ['bucket'],
      properties: {
        bucket: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'owner'],
          properties: {
            name: {
              type: 'string',
              pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
              patternErrorMessage: 'expected a bucket name: 3 to 63 lower-case letters, digits, hyphens and periods',
            },
            owner: obsAccountId('the id of the owning account'),
          },
        },
        policy: OBS_POLICY,
        acl: { ...OBS_ACL, description: 'the whole bucket ACL, replacing the default private one (the owner keeps its permanent READ_ACP and WRITE_ACP)' },
      },
    },
    request: {
      type: 'object',
      additionalProperties: false,
      required: ['principal', 'action'],
      properties: {
        principal: {
          description: `an account \`{account: <id>}\`, an IAM user \`{account: <id>, user: <user>}\`, \`${OBS_ANONYMOUS}\` or \`${OBS_LOG_DELIVERY}\``,
          if: { type: 'string' },
          then: { enum: [OBS_ANONYMOUS, OBS_LOG_DELIVERY], errorMessage: `expected \`{account: <id>}\`, \`{account: <id>, user: <user>}\`, \`${OBS_ANONYMOUS}\` or \`${OBS_LOG_DELIVERY}\`` },
          else: {
            type: 'object',
            additionalProperties: false,
            required: ['account'],
            properties: {
              account: obsAccountId('the account that sends the request, or whose IAM user does'),
              user: text('the IAM user id or name; absent, the account itself'),
            },
          },
        },
        action: { enum: OBS_ACTIONS.map((a) => a.name), description: 'an OBS bucket-policy action name (model/huawei-obs/actions.ts)' },
        object: text('the object key, for object actions'),
        context: {
          description: 'condition keys of the request (`SourceIp`, `UserAgent`, `Referer`, ...) and their values; an absent key is absent from the request',
          type: 'object',
          additionalProperties: { type: 'string' },
        },
        policy: { ...OBS_POLICY, description: 'the body of `PutBucketPolicy`: a JSON value, or a string holding the exact policy text' },
        acl: { ...OBS_ACL, description: 'the body of `PutBucketAcl`: the whole new ACL' },
        logging: {
          description: 'the body of `PutBucketLogging`',
          type: 'object',
          additionalProperties: false,
          required: ['targetBucket'],
          properties: { targetBucket: text('the bucket the access logs go to') },
        },
      },
      allOf: [
        {
          if: { required: ['action'], properties: { action: { enum: OBS_OBJECT_ACTIONS } } },
          then: { required: ['object'], errorMessage: 'object actions name the object' },
          else: { properties: { object: { not: {}, errorMessage: 'only object actions name an object' } } },
        },
        obsBody('policy', 'PutBucketPolicy', 'a `policy`'),
        obsBody('acl', 'PutBucketAcl', 'an `acl` (the whole new ACL)'),
        obsBody('logging', 'PutBucketLogging', '`logging: {targetBucket}`'),
      ],
    },
  },
  'aps-oss': {
    world: {
      description: 'Optionally a bucket created by its owner with an allow list, and the objects in it, each uploaded (in order) by the app named.',
      type: 'object',
      additionalProperties: false,
      properties: {
        bucket: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'owner'],
          properties: {
            key: text('the bucketKey, a logical name (a live target may prefix it); its syntax is checked on createBucket requests'),
            owner: clientId('the client id of the app that creates the bucket'),
            policyKey: text('`transient`, `temporary` or `persistent`; default `transient`'),
            allow: APS_ALLOW,
          },
        },
        objects: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['key', 'uploadedBy'],
            properties: {
              key: text('the object key'),
              uploadedBy: clientId('the client id of the app that uploads the object'),
            },
          },
        },
      },
    },
    request: {
      type: 'object',
      additionalProperties: false,
      required: ['actor', 'operation'],
      properties: {
        actor: clientId('the client id of the app that sends the request'),
        operation: { enum: APS_OPERATIONS, description: 'an `@aps_sdk/oss` method name' },
        bucket: text('the bucketKey; default the world\'s bucket'),
        object: text('the object key, for object operations'),
        payload: {
          description: 'the body of `createBucket`',
          type: 'object',
          additionalProperties: false,
          required: ['bucketKey'],
          properties: {
            bucketKey: { type: 'string', description: 'the key of the bucket to create; any string, so that invalid keys can be submitted' },
            policyKey: { type: 'string', description: '`transient`, `temporary` or `persistent`' },
            allow: APS_ALLOW,
          },
        },
      },
      allOf: [
        {
          if: { required: ['operation'], properties: { operation: { enum: APS_OBJECT_OPERATIONS } } },
          then: { required: ['object'], errorMessage: 'object operations name the object' },
          else: { properties: { object: { not: {}, errorMessage: 'only object operations name an object' } } },
        },
        {
          if: { required: ['operation'], properties: { operation: { const: 'createBucket' } } },
          then: { required: ['payload'], errorMessage: '`createBucket` sends a payload {bucketKey, policyKey, allow}' },
          else: { properties: { payload: { not: {}, errorMessage: 'only `createBucket` sends a payload' } } },
        },
      ],
    },
  },
};

function vendorBranch(vendor: Vendor): JsonSchema {
  const checkProperties: JsonSchema = { world: { $ref: `#/definitions/${vendor}.world` }, requests: { items: { properties: { request: { $ref: `#/definitions/${vendor}.request` } } } } };
  return {
    if: { required: ['vendor'], properties: { vendor: { const: vendor } } },
    then: { properties: { checks: { items: { properties: checkProperties } } } },
  };
}

/**
 * The JSON Schema (draft-07) of one YAML document of a rule file. Its closed sets come from
 * model/ (vendors, statuses, capabilities, decisions); property names and their params live in
 * `properties.yaml` instead, so that the schema stays stable as properties are added.
 */
export function ruleSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {
    capability: { enum: CAPABILITIES, description: 'a capability of specs/_meta/capabilities.yaml' },
    httpStatus: {
      if: { type: 'string' },
      then: { enum: ['4xx', '5xx'], errorMessage: STATUS_MESSAGE },
      else: { type: 'integer', minimum: 100, maximum: 599, errorMessage: STATUS_MESSAGE },
    },
    expectation: expectation(DECISIONS, EXPECTATION_MESSAGE, 'the outcome of a request: `allow`, `deny`, `rejected`, or {decision, status, code, ec}'),
    worldExpectation: expectation(['allow', 'rejected'], WORLD_EXPECTATION_MESSAGE, 'the outcome of preparing the world: `rejected` (with no requests), or `allow`'),
    check: {
      type: 'object',
      if: { required: ['property'] },
      then: { $ref: '#/definitions/propertyCheck' },
      else: { $ref: '#/definitions/exampleCheck' },
    },
    propertyCheck: {
      description: 'Generated cases whose outcome is known by construction, or related across two runs.',
      additionalProperties: false,
      required: ['name', 'property', 'outcomes'],
      properties: {
        name: text('unique within the rule'),
        property: text('a property of specs/_meta/properties.yaml'),
        params: { type: 'object', description: 'the property\'s params (see properties.yaml); default {}' },
        outcomes: {
          description: 'values of the property\'s `outcome` label that the generated cases must all reach',
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: 'string', minLength: 1 },
        },
        cover: {
          description: 'other labels of the property, with the values the generated cases must all reach',
          type: 'object',
          additionalProperties: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
        },
        requires: {
          description: 'capabilities this check needs besides the rule\'s; a target without them skips the check, naming them',
          type: 'array',
          uniqueItems: true,
          items: { $ref: '#/definitions/capability' },
        },
      },
    },
    exampleCheck: {
      description: 'A worked example: a world, and requests whose outcomes the spec states.',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: text('unique within the rule'),
        world: { type: 'object', description: 'what the target holds before the requests (bucket, owner, policy)' },
        expectWorld: { $ref: '#/definitions/worldExpectation' },
        requests: { type: 'array', minItems: 1, items: { $ref: '#/definitions/exampleRequest' } },
        requires: {
          description: 'capabilities this check needs besides the rule\'s; a target without them skips the check, naming them',
          type: 'array',
          uniqueItems: true,
          items: { $ref: '#/definitions/capability' },
        },
      },
      allOf: [
        { required: ['world'], errorMessage: 'a check is an example (with `world`) or a property check (with `property`)' },
        {
          if: { required: ['world'], not: { required: ['expectWorld'] } },
          then: { required: ['requests'], errorMessage: 'an example needs `requests`, or `expectWorld` alone' },
        },
        {
          if: {
            required: ['expectWorld'],
            properties: { expectWorld: { anyOf: [{ const: 'rejected' }, { required: ['decision'], properties: { decision: { const: 'rejected' } } }] } },
          },
          then: { properties: { requests: { not: {}, errorMessage: 'a world expected to be rejected takes no requests' } } },
        },
      ],
    },
    exampleRequest: {
      type: 'object',
      additionalProperties: false,
      required: ['request', 'expect'],
      properties: {
        name: text('optional label of the request'),
        request: { type: 'object', description: 'the request, in the vendor\'s shape' },
        expect: { $ref: '#/definitions/expectation' },
      },
    },
  };
  for (const [vendor, shapes] of Object.entries(VENDOR_WORLDS)) {
    definitions[`${vendor}.world`] = shapes.world;
    definitions[`${vendor}.request`] = shapes.request;
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated from model/ by `npm run gen:meta` (scripts/gen-meta.ts); do not edit.',
    title: 'bucket-conformance rule',
    description: 'One rule of specs/ (one YAML document of a rule file). See specs/README.md.',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'vendor', 'status', 'title', 'source', 'checks'],
    properties: {
      id: {
        type: 'string',
        pattern: RULE_ID_PATTERN,
        patternErrorMessage: 'expected a RULES.md id such as `ALI-LIMIT-SIZE`, or a child id such as `ALI-LIMIT-SIZE.error-code`',
        description: 'a RULES.md id (specs/_meta/rule-ids.yaml), or a child id <ID>.<kebab-name>',
      },
      vendor: { enum: VENDORS, description: 'the service the rule is about' },
      status: { enum: RULE_STATUSES, description: 'doc, inferred or ambiguous: one that RULES.md gives the id' },
      title: text('one line: what the rule checks'),
      source: {
        type: 'object',
        additionalProperties: false,
        required: ['seed', 'quote'],
        properties: {
          seed: {
            type: 'string',
            pattern: '^[^/\\\\]+$',
            patternErrorMessage: 'expected a file name of specs/_seeds, such as `002_01acfbdf6f602626.txt`',
          },
          quote: text('a sentence of the seed; compared after collapsing runs of white space'),
        },
      },
      reading: text('for inferred and ambiguous rules: the reading encoded, and why'),
      notes: text('free text, such as references to the vendor notes'),
      requires: {
        description: 'capabilities a target needs to run the rule; default []',
        type: 'array',
        uniqueItems: true,
        items: { $ref: '#/definitions/capability' },
      },
      checks: { type: 'array', minItems: 1, items: { $ref: '#/definitions/check' } },
    },
    allOf: [
      {
        if: { required: ['status'], properties: { status: { enum: ['inferred', 'ambiguous'] } } },
        then: { required: ['reading'], errorMessage: 'required when `status` is `inferred` or `ambiguous`' },
      },
      ...VENDORS.map(vendorBranch),
    ],
    definitions,
  };
}

/** A closed value, or a non-empty list of them: `role: write` or `role: [read, write]`. */
function oneOrList(values: readonly string[], description: string): JsonSchema {
  return {
    description,
    if: { type: 'array' },
    then: { minItems: 1, uniqueItems: true, items: { enum: values } },
    else: { enum: values },
  };
}

/**
 * The JSON Schema (draft-07) of the APS access matrix, `specs/aps-oss/access-matrix.yaml`. The
 * loader checks the same and more: every cell in the domain of `apsTargets`, each covered once,
 * rule ids with a rule document, statuses against RULES.md, quotes against the seeds.
 */
export function apsMatrixSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: 'Generated from model/ by `npm run gen:meta` (scripts/gen-meta.ts); do not edit.',
    title: 'bucket-conformance APS access matrix',
    description: 'The APS decision table: the outcome of each operation by each role on each target, and the rule that reports it. See specs/README.md.',
    type: 'object',
    additionalProperties: false,
    required: ['entries'],
    properties: {
      entries: { type: 'array', minItems: 1, items: { $ref: '#/definitions/entry' } },
    },
    definitions: {
      httpStatus: {
        if: { type: 'string' },
        then: { enum: ['4xx', '5xx'], errorMessage: STATUS_MESSAGE },
        else: { type: 'integer', minimum: 100, maximum: 599, errorMessage: STATUS_MESSAGE },
      },
      entry: {
        description: 'Cells of the matrix (every role × operation × target listed) and their outcome.',
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'status', 'source', 'role', 'operation', 'target', 'expect'],
        properties: {
          rule: {
            type: 'string',
            pattern: APS_RULE_ID_PATTERN,
            patternErrorMessage: 'expected an APS rule id such as `APS-WRITE-NO-READ`, or a child id such as `APS-FULL-OWN.missing-object`',
            description: 'the rule that reports the cells: a RULES.md id or a child id, with a rule document of that id in specs/aps-oss/',
          },
          status: { enum: RULE_STATUSES, description: 'the status of the rule document; one that RULES.md gives the id' },
          source: {
            type: 'object',
            additionalProperties: false,
            required: ['seed', 'quote'],
            properties: {
              seed: {
                type: 'string',
                pattern: '^[^/\\\\]+$',
                patternErrorMessage: 'expected a file name of specs/_seeds, such as `000_2dd483e43c313af6.txt`',
              },
              quote: text('a sentence of the seed; compared after collapsing runs of white space'),
            },
          },
          reading: text('for inferred and ambiguous entries: the reading encoded, and why'),
          role: oneOrList(APS_ROLES, 'who acts, relative to the bucket: `owner`, a granted key (`full`, `read`, `write`) or a `stranger`; or a list'),
          operation: oneOrList(APS_OPERATIONS, 'an `@aps_sdk/oss` method name, or a list'),
          target: oneOrList(APS_TARGETS, 'what the operation acts on, relative to the actor (see apsTargets in model/aps-oss/matrix.ts), or a list'),
          expect: expectation(DECISIONS, 'expected `allow`, `deny`, `rejected` or a map {decision, status, code}', 'the outcome of every cell of the entry', false),
        },
        allOf: [
          {
            if: { required: ['status'], properties: { status: { enum: ['inferred', 'ambiguous'] } } },
            then: { required: ['reading'], errorMessage: 'required when `status` is `inferred` or `ambiguous`' },
          },
        ],
      },
    },
  };
}
