/** Generators of APS OSS worlds, apps and requests (issue #3). */
export { bucketKey, clientId, clientIdOf, clientIds, grantCount, invalidBucketKey, invalidPrefixableBucketKey, objectKey } from './names.ts';
export { accessLevel, allowList, apsWorld, keysClass, levelUploads, objectTarget, roleOn } from './worlds.ts';
