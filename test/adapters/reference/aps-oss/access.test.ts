/**
 * Every role x operation x target of the access matrix, each sent to a fresh copy of the shared
 * world (a bucket created by OWNER granting FULL, READ, WRITE and OTHER, with one object
 * uploaded by each of OWNER, FULL, WRITE and OTHER). The expected cells are written from the
 * seeds, with the sentence each row comes from; a cell is `status` or `status RULE` (the rule
 * the explanation must name).
 */
import { describe, expect, it } from 'vitest';
import { APS_ROLES, apsTargets, type ApsRole, type ApsTarget } from '../../../../model/aps-oss/matrix.ts';
import { APS_OPERATIONS, type ApsOperation } from '../../../../model/aps-oss/types.ts';
import { cellName, cellRequest, decided, prepare } from './helpers.ts';

interface Row {
  role: ApsRole;
  operation: ApsOperation;
  cells: Partial<Record<ApsTarget, string>>;
  /** The seed sentence the row is read from. */
  source: string;
}

const OWNER_ONLY = '001: "Granted keys attempting these operations will receive a 403 Forbidden response. These APIs include: GET Buckets, POST Bucket, GET Bucket Details, GET Bucket Objects, GET Bucket Object Details, DELETE Bucket"';
const OWNER_ALL = '000, 001: "Bucket owner application can access all objects uploaded by granted keys"';
const STRANGER = 'APS-STRANGER (inferred): an app the bucket does not name is refused';

const TABLE: Row[] = [
  // The owner.
  { role: 'owner', operation: 'uploadObject', cells: { 'by-self': '200', 'by-other-key': '200 APS-OWNER-READS-ALL', missing: '200' }, source: OWNER_ALL },
  { role: 'owner', operation: 'downloadObject', cells: { 'by-self': '200', 'by-other-key': '200 APS-OWNER-READS-ALL', missing: '404' }, source: OWNER_ALL },
  { role: 'owner', operation: 'deleteObject', cells: { 'by-self': '200', 'by-other-key': '200 APS-OWNER-READS-ALL', missing: '404' }, source: OWNER_ALL },
  { role: 'owner', operation: 'getObjectDetails', cells: { 'by-self': '200 APS-OWNER-ONLY-API', 'by-other-key': '200 APS-OWNER-READS-ALL', missing: '404' }, source: `${OWNER_ONLY}; ${OWNER_ALL}` },
  { role: 'owner', operation: 'getBucketDetails', cells: { bucket: '200 APS-OWNER-ONLY-API' }, source: '001: "Most OSS APIs are restricted to the bucket owner."' },
  { role: 'owner', operation: 'getBucketObjects', cells: { bucket: '200 APS-OWNER-ONLY-API' }, source: '001: "Most OSS APIs are restricted to the bucket owner."' },
  { role: 'owner', operation: 'deleteBucket', cells: { bucket: '200 APS-OWNER-ONLY-API' }, source: '000: "owner-only operations like bucket delete remain restricted to the creator"' },
  { role: 'owner', operation: 'getBuckets', cells: { account: '200' }, source: 'the owner holds no grant, so GET Buckets is not refused to it' },
  { role: 'owner', operation: 'createBucket', cells: { 'new-key': '200 APS-GRANT-CREATE', 'taken-key': '409' }, source: 'vendor notes §1.1: "Bucket keys must be globally unique", 409 {"reason":"Bucket already exists"}' },

  // FULL: "'upload/write, download/read and change own data permission'" (000).
  { role: 'full', operation: 'uploadObject', cells: { 'by-self': '200 APS-FULL-OWN', 'by-owner': '403 APS-FULL-OWN', 'by-other-key': '403 APS-FULL-OWN', missing: '200 APS-FULL-OWN' }, source: '000: "upload/write, download/read and change own data permission"' },
  { role: 'full', operation: 'downloadObject', cells: { 'by-self': '200 APS-FULL-OWN', 'by-owner': '403 APS-NO-CROSS-READ', 'by-other-key': '403 APS-NO-CROSS-READ', missing: '404 APS-FULL-OWN' }, source: '001: "Cannot download objects uploaded by the bucket owner", "Cannot download objects uploaded by other granted keys"' },
  { role: 'full', operation: 'deleteObject', cells: { 'by-self': '200 APS-FULL-OWN', 'by-owner': '403 APS-FULL-OWN', 'by-other-key': '403 APS-FULL-OWN', missing: '404 APS-FULL-OWN' }, source: '000: "change own data permission", "not admin of bucket"' },
  { role: 'full', operation: 'getObjectDetails', cells: { 'by-self': '403 APS-OWNER-ONLY-API', 'by-owner': '403 APS-OWNER-ONLY-API', 'by-other-key': '403 APS-OWNER-ONLY-API', missing: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'full', operation: 'getBucketDetails', cells: { bucket: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'full', operation: 'getBucketObjects', cells: { bucket: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'full', operation: 'deleteBucket', cells: { bucket: '403 APS-NOT-OWNER' }, source: '000: "It still does not make the other app the bucket owner, owner-only operations like bucket delete remain restricted to the creator."' },
  { role: 'full', operation: 'getBuckets', cells: { account: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'full', operation: 'createBucket', cells: { 'new-key': '403 APS-OWNER-ONLY-API', 'taken-key': '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },

  // WRITE: "'upload and change own data permission', not read from bucket" (000).
  { role: 'write', operation: 'uploadObject', cells: { 'by-self': '200 APS-WRITE-UPLOAD', 'by-owner': '403 APS-WRITE-UPLOAD', 'by-other-key': '403 APS-WRITE-UPLOAD', missing: '200 APS-WRITE-UPLOAD' }, source: '000: "The app can create and change content (uploads / writes) into the bucket"; "upload and change own data permission"' },
  { role: 'write', operation: 'downloadObject', cells: { 'by-self': '403 APS-WRITE-NO-READ', 'by-owner': '403 APS-WRITE-NO-READ', 'by-other-key': '403 APS-WRITE-NO-READ', missing: '403 APS-WRITE-NO-READ' }, source: '000: "but cannot read/download the content/objects it uploaded"' },
  { role: 'write', operation: 'deleteObject', cells: { 'by-self': '200 APS-WRITE-DELETE-OWN', 'by-owner': '403 APS-WRITE-DELETE-OWN', 'by-other-key': '403 APS-WRITE-DELETE-OWN', missing: '404 APS-WRITE-DELETE-OWN' }, source: '000: "Delete operation is also allowed only on the objects the app uploaded into the bucket."' },
  { role: 'write', operation: 'getObjectDetails', cells: { 'by-self': '403 APS-OWNER-ONLY-API', 'by-owner': '403 APS-OWNER-ONLY-API', 'by-other-key': '403 APS-OWNER-ONLY-API', missing: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'write', operation: 'getBucketDetails', cells: { bucket: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'write', operation: 'getBucketObjects', cells: { bucket: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'write', operation: 'deleteBucket', cells: { bucket: '403 APS-NOT-OWNER' }, source: '000: "The app cannot delete the bucket; this operation is restricted only to the bucket owner app."' },
  { role: 'write', operation: 'getBuckets', cells: { account: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'write', operation: 'createBucket', cells: { 'new-key': '403 APS-OWNER-ONLY-API', 'taken-key': '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },

  // READ: "'download/read own data permission', not write into bucket" (000).
  { role: 'read', operation: 'uploadObject', cells: { 'by-owner': '403 APS-READ-NO-WRITE', 'by-other-key': '403 APS-READ-NO-WRITE', missing: '403 APS-READ-NO-WRITE' }, source: '000: "The app cannot perform any upload or delete operations in either buckets or objects."' },
  { role: 'read', operation: 'downloadObject', cells: { 'by-owner': '403 APS-NO-CROSS-READ', 'by-other-key': '403 APS-NO-CROSS-READ', missing: '404 APS-READ-OWN' }, source: '000: "the app will only access objects that they own or upload into the bucket"; "The app also do not get to \'see everything/anything\' any other app uploaded."' },
  { role: 'read', operation: 'deleteObject', cells: { 'by-owner': '403 APS-READ-NO-WRITE', 'by-other-key': '403 APS-READ-NO-WRITE', missing: '403 APS-READ-NO-WRITE' }, source: '000: "The app cannot perform any upload or delete operations in either buckets or objects."' },
  { role: 'read', operation: 'getObjectDetails', cells: { 'by-owner': '403 APS-OWNER-ONLY-API', 'by-other-key': '403 APS-OWNER-ONLY-API', missing: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'read', operation: 'getBucketDetails', cells: { bucket: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'read', operation: 'getBucketObjects', cells: { bucket: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'read', operation: 'deleteBucket', cells: { bucket: '403 APS-READ-NO-WRITE' }, source: '000: "The app cannot perform any upload or delete operations in either buckets or objects."' },
  { role: 'read', operation: 'getBuckets', cells: { account: '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },
  { role: 'read', operation: 'createBucket', cells: { 'new-key': '403 APS-OWNER-ONLY-API', 'taken-key': '403 APS-OWNER-ONLY-API' }, source: OWNER_ONLY },

  // A stranger: named nowhere.
  { role: 'stranger', operation: 'uploadObject', cells: { 'by-owner': '403 APS-STRANGER', 'by-other-key': '403 APS-STRANGER', missing: '403 APS-STRANGER' }, source: STRANGER },
  { role: 'stranger', operation: 'downloadObject', cells: { 'by-owner': '403 APS-STRANGER', 'by-other-key': '403 APS-STRANGER', missing: '403 APS-STRANGER' }, source: STRANGER },
  { role: 'stranger', operation: 'deleteObject', cells: { 'by-owner': '403 APS-STRANGER', 'by-other-key': '403 APS-STRANGER', missing: '403 APS-STRANGER' }, source: STRANGER },
  { role: 'stranger', operation: 'getObjectDetails', cells: { 'by-owner': '403 APS-STRANGER', 'by-other-key': '403 APS-STRANGER', missing: '403 APS-STRANGER' }, source: STRANGER },
  { role: 'stranger', operation: 'getBucketDetails', cells: { bucket: '403 APS-STRANGER' }, source: STRANGER },
  { role: 'stranger', operation: 'getBucketObjects', cells: { bucket: '403 APS-STRANGER' }, source: STRANGER },
  { role: 'stranger', operation: 'deleteBucket', cells: { bucket: '403 APS-STRANGER' }, source: STRANGER },
  { role: 'stranger', operation: 'getBuckets', cells: { account: '200' }, source: 'a stranger holds no grant: GET Buckets lists its own buckets' },
  { role: 'stranger', operation: 'createBucket', cells: { 'new-key': '200 APS-GRANT-CREATE', 'taken-key': '409' }, source: '000: grants are given "during bucket creation using POST Bucket API"; a taken key is a 409' },
];

/** The decision and reason a status stands for. */
const MEANING: Record<string, { decision: string; reasons: string[] }> = {
  '200': { decision: 'allow', reasons: ['owner', 'grant'] },
  '403': { decision: 'deny', reasons: ['no-grant'] },
  '404': { decision: 'deny', reasons: ['not-found'] },
  '409': { decision: 'deny', reasons: ['conflict'] },
};

describe('the access matrix of seeds 000 and 001', () => {
  it('covers every cell a world can present, once', () => {
    const written = TABLE.flatMap((row) => Object.keys(row.cells).map((t) => cellName(row.role, row.operation, t as ApsTarget)));
    const expected = APS_ROLES.flatMap((role) => APS_OPERATIONS.flatMap((op) => apsTargets(role, op).map((t) => cellName(role, op, t))));
    expect(new Set(written).size).toBe(written.length);
    expect([...written].sort()).toEqual([...expected].sort());
  });

  for (const row of TABLE) {
    for (const [target, cell] of Object.entries(row.cells) as [ApsTarget, string][]) {
      it(`${cellName(row.role, row.operation, target)}: ${cell} (${row.source})`, async () => {
        const [status, rule] = cell.split(' ') as [string, string | undefined];
        const w = await prepare();
        const o = decided(await w.observe(cellRequest(row.role, row.operation, target)));
        expect(o.status).toBe(Number(status));
        expect(o.decision).toBe(MEANING[status]!.decision);
        expect(MEANING[status]!.reasons).toContain(o.explanation?.reason);
        expect(o.code).toBeUndefined();
        if (rule !== undefined) expect(o.explanation?.rules).toContain(rule);
      });
    }
  }
});
