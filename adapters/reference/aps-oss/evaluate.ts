/**
 * The APS OSS evaluator: `evaluate` decides one request against the target's state and says
 * what the request changes, reading like seeds 000 and 001 (the blog post "Grant bucket Access
 * to Other Keys") and the vendor notes §1, §2, §4. It never changes the state itself: the
 * caller applies the effect of an allowed request.
 */
import { ConformanceError } from '../../../model/errors.ts';
import { isObjectOperation, type ApsAccess, type ApsObjectOperation, type ApsRequest } from '../../../model/aps-oss/types.ts';
import type { Explanation } from '../../../model/outcome.ts';
import type { ApsOtherUploader, ApsSemantics } from './semantics.ts';
import { holdsLiveGrant, roleIn, type ApsEffect, type ApsStore, type ApsStoredBucket } from './store.ts';
import { validateCreatePayload } from './validate.ts';

/** The decision on one request. */
export interface ApsDecision {
  decision: 'allow' | 'deny' | 'rejected';
  status: 200 | 400 | 403 | 404 | 409;
  /** Why, in words: what the `reason` of the `{"reason": ...}` error body would say. Absent on allows. */
  message?: string;
  explanation: Explanation;
}

/** A decision and, when the request is allowed and changes something, the change. */
export interface ApsOutcome {
  decision: ApsDecision;
  effect?: ApsEffect;
}

type Reason = Explanation['reason'];

function allowed(reason: Reason, rules: string[], effect?: ApsEffect): ApsOutcome {
  const decision: ApsDecision = { decision: 'allow', status: 200, explanation: { rules, statements: [], reason } };
  return effect === undefined ? { decision } : { decision, effect };
}

function refused(status: 403 | 404 | 409, reason: Reason, rules: string[], message: string): ApsOutcome {
  return { decision: { decision: 'deny', status, message, explanation: { rules, statements: [], reason } } };
}

function forbidden(rules: string[], message: string): ApsOutcome {
  return refused(403, 'no-grant', rules, message);
}

// The rule that says what each level may do with its own objects, per kind of access.
const UPLOAD_RULE: Readonly<Record<ApsAccess, string>> = { read: 'APS-READ-NO-WRITE', write: 'APS-WRITE-UPLOAD', full: 'APS-FULL-OWN' };
const READ_RULE: Readonly<Record<ApsAccess, string>> = { read: 'APS-READ-OWN', write: 'APS-WRITE-NO-READ', full: 'APS-FULL-OWN' };
const DELETE_RULE: Readonly<Record<ApsAccess, string>> = { read: 'APS-READ-NO-WRITE', write: 'APS-WRITE-DELETE-OWN', full: 'APS-FULL-OWN' };

/**
 * POST Bucket. Steps in order: a granted key is refused; the payload is validated; the key must
 * be free; then the actor owns the new bucket.
 */
function createBucket(store: ApsStore, actor: string, payload: unknown, semantics: ApsSemantics, logicalKey = false): ApsOutcome {
  // APS-OWNER-ONLY-API (001), literal reading: "Granted keys attempting these operations will receive a 403
  // Forbidden response", POST Bucket listed. An app named in the allow list of any live bucket is a granted key.
  if (semantics.ownerOnly('createBucket') && holdsLiveGrant(store, actor)) {
    return forbidden(['APS-OWNER-ONLY-API'], `\`${actor}\` is a granted key of a bucket, and granted keys cannot create buckets`);
  }
  const checked = validateCreatePayload(payload, actor, semantics, { logicalKey });
  if (checked.kind === 'invalid') {
    const rules = [...new Set(checked.problems.flatMap((p) => (p.rule === undefined ? [] : [p.rule])))];
    return { decision: { decision: 'rejected', status: 400, message: checked.problems.map((p) => p.message).join('; '), explanation: { rules, statements: [], reason: 'invalid-request' } } };
  }
  const taken = store.buckets.get(checked.bucketKey);
  // Vendor notes §1.1 [A3]: "Bucket keys must be globally unique across all applications and regions"; a duplicate
  // gives 409 {"reason":"Bucket already exists"}. [A5]: "Bucket keys of deleted buckets will not be immediately
  // available for reuse".
  if (taken !== undefined && (!taken.deleted || !semantics.deletedKeyReusable)) {
    return refused(409, 'conflict', [], 'Bucket already exists');
  }
  // APS-GRANT-CREATE (000): "This operation is performed during bucket creation using POST Bucket API." The creator
  // owns the bucket, and the grants are the ones given now.
  return allowed('owner', ['APS-GRANT-CREATE'], { kind: 'create-bucket', key: checked.bucketKey, owner: actor, policyKey: checked.policyKey, grants: checked.grants });
}

/** GET Buckets: the app's own buckets. */
function getBuckets(store: ApsStore, actor: string, semantics: ApsSemantics): ApsOutcome {
  // APS-OWNER-ONLY-API (001), literal reading: GET Buckets is listed, so a granted key gets a 403.
  if (semantics.ownerOnly('getBuckets') && holdsLiveGrant(store, actor)) {
    return forbidden(['APS-OWNER-ONLY-API'], `\`${actor}\` is a granted key of a bucket, and granted keys cannot list buckets`);
  }
  return allowed('owner', ['APS-OWNER-ONLY-API']);
}

/** GET Bucket Details, GET Bucket Objects, DELETE Bucket. */
function bucketOperation(bucket: ApsStoredBucket, actor: string, operation: 'getBucketDetails' | 'getBucketObjects' | 'deleteBucket', semantics: ApsSemantics): ApsOutcome {
  const role = roleIn(bucket, actor);
  const effect: ApsEffect | undefined = operation === 'deleteBucket' ? { kind: 'delete-bucket', bucket: bucket.key } : undefined;
  // APS-OWNER-ONLY-API (001): "Most OSS APIs are restricted to the bucket owner." The owner may do them all.
  if (role.kind === 'owner') return allowed('owner', ['APS-OWNER-ONLY-API'], effect);
  // APS-STRANGER (inferred): an app the bucket does not know gets a 403.
  if (role.kind === 'stranger') return forbidden(['APS-STRANGER'], `\`${actor}\` has no grant on bucket \`${bucket.key}\``);
  if (semantics.ownerOnly(operation)) {
    // APS-OWNER-ONLY-API (001): "Granted keys attempting these operations will receive a 403 Forbidden response."
    const rules = ['APS-OWNER-ONLY-API'];
    if (operation === 'deleteBucket') {
      // APS-NOT-OWNER (000): "owner-only operations like bucket delete remain restricted to the creator."
      rules.push('APS-NOT-OWNER');
      // APS-READ-NO-WRITE (000): "The app cannot perform any upload or delete operations in either buckets or objects."
      if (role.level === 'read') rules.push('APS-READ-NO-WRITE');
    }
    return forbidden(rules, `\`${operation}\` is restricted to the bucket owner; \`${actor}\` holds a \`${role.level}\` grant`);
  }
  return allowed('grant', [], effect);
}

/** Who uploaded an object, as seen by a granted key: itself, or someone else. */
function otherUploader(bucket: ApsStoredBucket, uploader: string): ApsOtherUploader {
  return uploader === bucket.owner ? 'owner' : 'other-key';
}

/** An object operation by the bucket owner. */
function ownerObjectOperation(bucket: ApsStoredBucket, actor: string, operation: ApsObjectOperation, object: string, semantics: ApsSemantics): ApsOutcome {
  const uploader = bucket.objects.get(object);
  const rules: string[] = [];
  // APS-OWNER-ONLY-API (001): GET Bucket Object Details is restricted to the owner, who may call it.
  if (operation === 'getObjectDetails') rules.push('APS-OWNER-ONLY-API');
  if (uploader !== undefined && uploader !== actor) {
    // APS-OWNER-READS-ALL (000, 001): "Bucket owner application can access all objects uploaded by granted keys".
    rules.push('APS-OWNER-READS-ALL');
    if (!semantics.ownerMayAccessKeyObject(operation)) {
      return forbidden(rules, `the owner \`${actor}\` cannot \`${operation}\` \`${object}\`, which \`${uploader}\` uploaded`);
    }
  }
  if (operation === 'uploadObject') {
    // A new object is the owner's; overwriting keeps its creator, since the documents speak of the objects an
    // app "has created" (vendor notes §2 [A3]), and overwriting creates nothing.
    return allowed('owner', rules, { kind: 'put-object', bucket: bucket.key, object, uploadedBy: uploader ?? actor });
  }
  if (uploader === undefined) return refused(404, 'not-found', rules, `object \`${object}\` does not exist in bucket \`${bucket.key}\``);
  return allowed('owner', rules, operation === 'deleteObject' ? { kind: 'delete-object', bucket: bucket.key, object } : undefined);
}

/** An object operation by a granted key of `level`. */
function grantedObjectOperation(bucket: ApsStoredBucket, actor: string, level: ApsAccess, operation: ApsObjectOperation, object: string, semantics: ApsSemantics): ApsOutcome {
  const uploader = bucket.objects.get(object);
  const own = uploader === actor;

  if (operation === 'uploadObject') {
    const rule = UPLOAD_RULE[level];
    // APS-READ-NO-WRITE (000): "The app cannot perform any upload or delete operations in either buckets or objects."
    if (!semantics.mayUpload(level)) return forbidden([rule], `\`${actor}\` holds a \`${level}\` grant, which cannot upload`);
    // APS-WRITE-UPLOAD (000): "The app can create and change content (uploads / writes) into the bucket".
    // APS-FULL-OWN (000): "'upload/write, download/read and change own data permission'". A new object is the actor's.
    if (uploader === undefined) return allowed('grant', [rule], { kind: 'put-object', bucket: bucket.key, object, uploadedBy: actor });
    // "upload and change own data permission" (000): overwriting its own object keeps it its own.
    if (own) return allowed('grant', [rule], { kind: 'put-object', bucket: bucket.key, object, uploadedBy: actor });
    // Vendor notes §2 [A3]: "an application can only read, modify, or delete objects it has created."
    if (semantics.mayModifyOthers(level, 'uploadObject', otherUploader(bucket, uploader))) {
      return allowed('grant', [rule], { kind: 'put-object', bucket: bucket.key, object, uploadedBy: uploader });
    }
    return forbidden([rule], `\`${actor}\` cannot overwrite \`${object}\`, which \`${uploader}\` uploaded`);
  }

  if (operation === 'deleteObject') {
    const rule = DELETE_RULE[level];
    // APS-READ-NO-WRITE (000): "The app cannot perform any upload or delete operations in either buckets or objects."
    if (!semantics.mayDeleteOwn(level)) return forbidden([rule], `\`${actor}\` holds a \`${level}\` grant, which cannot delete`);
    // The level lets the key delete its own objects; there is no object to delete.
    if (uploader === undefined) return refused(404, 'not-found', [rule], `object \`${object}\` does not exist in bucket \`${bucket.key}\``);
    // APS-WRITE-DELETE-OWN (000): "Delete operation is also allowed only on the objects the app uploaded into the bucket."
    if (own || semantics.mayModifyOthers(level, 'deleteObject', otherUploader(bucket, uploader))) {
      return allowed('grant', [rule], { kind: 'delete-object', bucket: bucket.key, object });
    }
    return forbidden([rule], `\`${actor}\` cannot delete \`${object}\`, which \`${uploader}\` uploaded`);
  }

  // APS-OWNER-ONLY-API (001): "GET Bucket Object Details" is among the owner-only operations.
  if (operation === 'getObjectDetails' && semantics.ownerOnly('getObjectDetails')) {
    return forbidden(['APS-OWNER-ONLY-API'], `\`getObjectDetails\` is restricted to the bucket owner; \`${actor}\` holds a \`${level}\` grant`);
  }

  // downloadObject (and getObjectDetails, should it not be owner-only).
  const rule = READ_RULE[level];
  // APS-WRITE-NO-READ (000): "cannot read/download the content/objects it uploaded."
  if (!semantics.mayReadOwn(level)) return forbidden([rule], `\`${actor}\` holds a \`${level}\` grant, which cannot download objects`);
  // The level lets the key read its own objects; there is no object to read.
  if (uploader === undefined) return refused(404, 'not-found', [rule], `object \`${object}\` does not exist in bucket \`${bucket.key}\``);
  // APS-READ-OWN (000): "the app will only access objects that they own or upload into the bucket."
  if (own) return allowed('grant', [rule]);
  // APS-NO-CROSS-READ (001): "Cannot download objects uploaded by the bucket owner", "Cannot download objects
  // uploaded by other granted keys".
  if (semantics.mayReadOthers(level, otherUploader(bucket, uploader))) return allowed('grant', [rule]);
  return forbidden(['APS-NO-CROSS-READ'], `\`${actor}\` cannot download \`${object}\`, which \`${uploader}\` uploaded`);
}

/**
 * Decides `request` against the target's state. `worldBucket` is the bucket a request that
 * names none acts on. Pure: reads `store`, never changes it; apply the returned effect to make
 * the request happen. Throws a ConformanceError only for a request no client could send (a
 * bucket or object operation that names no bucket or no object).
 */
export function evaluate(store: ApsStore, request: ApsRequest, worldBucket: string | undefined, semantics: ApsSemantics, options: { worldBucket?: boolean } = {}): ApsOutcome {
  const { actor, operation } = request;
  if (operation === 'createBucket') return createBucket(store, actor, request.payload, semantics, options.worldBucket === true);
  if (operation === 'getBuckets') return getBuckets(store, actor, semantics);

  const key = request.bucket ?? worldBucket;
  if (key === undefined) throw new ConformanceError('CONFORMANCE_INPUT', `\`${operation}\` acts on a bucket, but the request names none and the world has none`);
  const object = request.object;
  if (isObjectOperation(operation) && object === undefined) throw new ConformanceError('CONFORMANCE_INPUT', `\`${operation}\` acts on an object; the request must name \`object\``);

  const bucket = store.buckets.get(key);
  // Vendor notes §1: 404 for a bucket that does not exist; a deleted one does not exist any more.
  if (bucket === undefined || (bucket.deleted && operation !== 'deleteBucket')) {
    return refused(404, 'not-found', [], `bucket \`${key}\` does not exist`);
  }
  // Vendor notes §1 (DELETE Bucket): "409 already marked for deletion".
  if (bucket.deleted) return refused(409, 'conflict', [], `bucket \`${key}\` is already marked for deletion`);

  if (!isObjectOperation(operation)) return bucketOperation(bucket, actor, operation, semantics);

  const role = roleIn(bucket, actor);
  if (role.kind === 'owner') return ownerObjectOperation(bucket, actor, operation, object as string, semantics);
  // APS-STRANGER (inferred): an app the bucket does not know gets a 403 on its objects.
  if (role.kind === 'stranger') return forbidden(['APS-STRANGER'], `\`${actor}\` has no grant on bucket \`${bucket.key}\``);
  return grantedObjectOperation(bucket, actor, role.level, operation, object as string, semantics);
}
