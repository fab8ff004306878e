import * as fc from 'fast-check';
import { bucketResource, objectResource, type ResourceService } from '../../model/alibaba-oss/resources.ts';
import type { OneOrMany } from '../../model/alibaba-oss/types.ts';
import type { GeneratedRequest } from './requests.ts';
import { nearMissBucketName, objectKey } from './names.ts';
import { patternMissing } from './strings.ts';
import type { Scene } from './identities.ts';

/**
 * Resource elements built to cover a request's resource or to miss it (ALI-RESOURCE,
 * ALI-VECTOR): the exact object, a key prefix and `*`, the whole bucket; or the bucket form
 * for an object request, the object form for a bucket request, a bucket whose name extends or
 * truncates this one, a key prefix the key does not start with, the other service.
 */

/** How a Resource element relates to the request it was built for. */
export type ResourceForm =
  | 'exact-object'
  | 'key-prefix'
  | 'all-objects'
  | 'bucket'
  | 'bucket-form-for-object'
  | 'object-form-for-bucket'
  | 'near-bucket'
  | 'outside-prefix'
  | 'other-service';

/** A Resource element and how it relates to the request. */
export interface BuiltResource {
  value: OneOrMany;
  form: ResourceForm;
}

function serviceOf(r: GeneratedRequest): ResourceService {
  return r.action.level === 'vector-index' ? 'ossvector' : 'oss';
}

function uidChoice(s: Scene): fc.Arbitrary<string> {
  return fc.constantFrom('*', s.bucket.owner);
}

function shape(entry: fc.Arbitrary<string>, extras: fc.Arbitrary<string[]>, form: ResourceForm): fc.Arbitrary<BuiltResource> {
  return fc.tuple(entry, extras, fc.boolean(), fc.nat()).map(([e, more, scalar, at]) => {
    if (scalar && more.length === 0) return { value: e, form };
    const list = [...more];
    list.splice(at % (list.length + 1), 0, e);
    return { value: list, form };
  });
}

/** Extra resources about other buckets, which never cover this bucket's requests. */
function unrelatedResources(s: Scene): fc.Arbitrary<string[]> {
  return fc.array(
    fc.tuple(nearMissBucketName(s.bucket.name), fc.boolean()).map(([b, objects]) => (objects ? objectResource(b, '*') : bucketResource(b))),
    { maxLength: 2 },
  );
}

/** The forms a Resource element can take to cover a request of `level`. */
export function coveringForms(objectRequest: boolean): ResourceForm[] {
  return objectRequest ? ['exact-object', 'key-prefix', 'all-objects'] : ['bucket'];
}

/** The forms a Resource element can take to miss a request of `level`. */
export function missingForms(objectRequest: boolean): ResourceForm[] {
  return objectRequest ? ['bucket-form-for-object', 'near-bucket', 'outside-prefix', 'other-service'] : ['object-form-for-bucket', 'near-bucket'];
}

function pick(options: Partial<Record<ResourceForm, fc.Arbitrary<BuiltResource>>>, form: ResourceForm | undefined): fc.Arbitrary<BuiltResource> {
  if (form !== undefined) {
    const chosen = options[form];
    if (!chosen) throw new Error(`no resource of form ${form} for this request`);
    return chosen;
  }
  // Each form equally likely, so that rare forms are not starved.
  return fc.oneof(...Object.values(options));
}

/** A Resource element that covers the request's resource (of `form`, when given). */
export function resourceCovering(s: Scene, r: GeneratedRequest, form?: ResourceForm): fc.Arbitrary<BuiltResource> {
  const service = serviceOf(r);
  const bucket = s.bucket.name;
  const key = r.request.object;
  const extras = unrelatedResources(s);
  if (key === undefined) {
    return pick({ bucket: shape(uidChoice(s).map((uid) => bucketResource(bucket, { uid, service })), extras, 'bucket') }, form);
  }
  return pick(
    {
      'exact-object': shape(uidChoice(s).map((uid) => objectResource(bucket, key, { uid, service })), extras, 'exact-object'),
      'key-prefix': shape(
        fc.tuple(uidChoice(s), fc.nat(key.length)).map(([uid, n]) => objectResource(bucket, `${key.slice(0, n)}*`, { uid, service })),
        extras,
        'key-prefix',
      ),
      'all-objects': shape(uidChoice(s).map((uid) => objectResource(bucket, '*', { uid, service })), extras, 'all-objects'),
    },
    form,
  );
}

/** A Resource element none of whose entries covers the request's resource (of `form`, when given). */
export function resourceMissing(s: Scene, r: GeneratedRequest, form?: ResourceForm): fc.Arbitrary<BuiltResource> {
  const service = serviceOf(r);
  const bucket = s.bucket.name;
  const key = r.request.object;
  const extras = unrelatedResources(s);
  const near = nearMissBucketName(bucket);
  if (key === undefined) {
    return pick(
      {
        'object-form-for-bucket': shape(fc.tuple(uidChoice(s), fc.constantFrom('*', 'a*')).map(([uid, p]) => objectResource(bucket, p, { uid, service })), extras, 'object-form-for-bucket'),
        'near-bucket': shape(fc.tuple(uidChoice(s), near).map(([uid, b]) => bucketResource(b, { uid, service })), extras, 'near-bucket'),
      },
      form,
    );
  }
  const otherService: ResourceService = service === 'oss' ? 'ossvector' : 'oss';
  return pick(
    {
      'bucket-form-for-object': shape(uidChoice(s).map((uid) => bucketResource(bucket, { uid, service })), extras, 'bucket-form-for-object'),
      'near-bucket': shape(fc.tuple(uidChoice(s), near, fc.constantFrom('*', key)).map(([uid, b, p]) => objectResource(b, p, { uid, service })), extras, 'near-bucket'),
      'outside-prefix': shape(
        fc.tuple(
          uidChoice(s),
          fc.oneof(
            patternMissing(key),
            objectKey().filter((k) => k !== key),
          ),
        ).map(([uid, p]) => objectResource(bucket, p, { uid, service })),
        extras,
        'outside-prefix',
      ),
      'other-service': shape(uidChoice(s).map((uid) => objectResource(bucket, key, { uid, service: otherService })), extras, 'other-service'),
    },
    form,
  );
}
