/**
 * Resource names of OSS bucket policies (ALI-RESOURCE, ALI-VECTOR): `acs:oss:*:<uid>:<bucket>`
 * for a bucket, `acs:oss:*:<uid>:<bucket>/<object pattern>` for objects, and
 * `acs:ossvector:*:<uid>:<bucket>/<index>` for vector indexes.
 */

/** The service part of a resource name: `oss` or, for vector buckets, `ossvector`. */
export type ResourceService = 'oss' | 'ossvector';

/** The resource name of a bucket. `uid` and `region` default to the wildcard, as the documents write them. */
export function bucketResource(bucket: string, options: { uid?: string; region?: string; service?: ResourceService } = {}): string {
  return `acs:${options.service ?? 'oss'}:${options.region ?? '*'}:${options.uid ?? '*'}:${bucket}`;
}

/** The resource name of objects (or a pattern of objects) in a bucket. */
export function objectResource(bucket: string, objectPattern: string, options: { uid?: string; region?: string; service?: ResourceService } = {}): string {
  return `${bucketResource(bucket, options)}/${objectPattern}`;
}
