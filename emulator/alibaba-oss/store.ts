/**
 * The state of one OSS emulator: buckets (owner, region, ACL, policy text and its compiled form)
 * and their objects (body, ETag, metadata, ACL, owner, time), and the multipart uploads in
 * progress. One store per dialect instance.
 */
import type { CompiledAliPolicy } from '../../adapters/reference/alibaba-oss/index.ts';
import { ALI_BUCKET_ACLS, type AliBucketAcl } from '../../model/alibaba-oss/types.ts';
import type { AccountEntry } from '../accounts.ts';

/** Object ACL values (vendor notes §2.2): `default` inherits the bucket ACL. */
export const OBJECT_ACLS = ['default', ...ALI_BUCKET_ACLS] as const;
/** An object ACL value. */
export type ObjectAcl = (typeof OBJECT_ACLS)[number];

/** Storage classes PutBucket accepts in `CreateBucketConfiguration`. */
export const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'] as const;
/** Data redundancy types PutBucket accepts. */
export const REDUNDANCY_TYPES = ['LRS', 'ZRS'] as const;

/** Whether `value` is a bucket ACL value. */
export function isBucketAcl(value: string): value is AliBucketAcl {
  return (ALI_BUCKET_ACLS as readonly string[]).includes(value);
}

/** Whether `value` is an object ACL value. */
export function isObjectAcl(value: string): value is ObjectAcl {
  return (OBJECT_ACLS as readonly string[]).includes(value);
}

/** One stored object. */
export interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  /** Quoted upper-case MD5 hex, as OSS writes it (§4.1 PutObject). */
  readonly etag: string;
  /** Base64 MD5, for the `Content-MD5` response header; absent for a multipart object (OSS sends none). */
  readonly md5: string | undefined;
  /** `Normal` (PutObject) or `Multipart` (CompleteMultipartUpload), for `x-oss-object-type` and listings. */
  readonly type: 'Normal' | 'Multipart';
  readonly contentType: string;
  /** `x-oss-meta-*` headers as received: lower-case name to raw value. */
  readonly meta: ReadonlyMap<string, string>;
  acl: ObjectAcl;
  /** The account of the uploader (the bucket owner for an anonymous upload). */
  readonly owner: AccountEntry;
  readonly lastModified: Date;
}

/** A bucket policy as stored: the exact text submitted (§3: "Stored verbatim") and its compiled form. */
export interface StoredPolicy {
  readonly text: string;
  readonly compiled: CompiledAliPolicy;
}

/** One bucket. */
export interface StoredBucket {
  readonly name: string;
  readonly owner: AccountEntry;
  readonly region: string;
  acl: AliBucketAcl;
  readonly storageClass: string;
  readonly redundancyType: string;
  readonly createdAt: Date;
  policy: StoredPolicy | undefined;
  readonly objects: Map<string, StoredObject>;
}

/** Compares two strings in UTF-8 byte order, the order OSS lists keys in. */
export function compareUtf8(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** One uploaded part of a multipart upload. */
export interface StoredPart {
  readonly number: number;
  readonly body: Buffer;
  /** Quoted upper-case MD5 hex, as UploadPart returns it. */
  readonly etag: string;
  /** The raw MD5 digest, for the ETag of the completed object. */
  readonly digest: Buffer;
  readonly lastModified: Date;
}

/** A multipart upload in progress: what InitiateMultipartUpload recorded, and the parts so far. */
export interface StoredUpload {
  readonly id: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  readonly contentType: string;
  readonly meta: ReadonlyMap<string, string>;
  /** The `x-oss-object-acl` of the initiate request, applied to the completed object. */
  readonly acl: ObjectAcl | undefined;
  /** `x-oss-forbid-overwrite: true` on the initiate request. */
  readonly forbidOverwrite: boolean;
  readonly parts: Map<number, StoredPart>;
}

/** The buckets of one emulator. */
export class OssStore {
  readonly buckets = new Map<string, StoredBucket>();
  /** Multipart uploads in progress, by upload id. */
  readonly uploads = new Map<string, StoredUpload>();

  /** Whether a bucket has multipart uploads in progress (OSS refuses to delete it then). */
  hasUploads(bucket: string): boolean {
    for (const upload of this.uploads.values()) if (upload.bucket === bucket) return true;
    return false;
  }

  /** The buckets an account owns, by name. */
  ownedBy(accountId: string): StoredBucket[] {
    return [...this.buckets.values()].filter((b) => b.owner.id === accountId).sort((a, b) => compareUtf8(a.name, b.name));
  }
}
