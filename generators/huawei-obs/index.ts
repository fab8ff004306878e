/** Generators of Huawei Cloud OBS scenes, policies, ACLs and requests (issue #4). */
export { accountOf, OBS_PRINCIPAL_KINDS, obsBucketName, obsId, obsScene, type ObsIdentity, type ObsPrincipalKind, type ObsScene } from './scene.ts';
export { ACL_ACTIONS, allGrants, grantAllows, granteeCovers, granteeKind, grantOf, grantsFrom, OBS_GRANTEE_KINDS, otherAccounts, permissionGrants, type ObsGranteeKind } from './acl.ts';
export * from './actions.ts';
export * from './conditions.ts';
export { blockBeside, blockContaining, blockElsewhere, OBS_IP_POSITIONS, obsSourceAddress, spaceFamilies, type ObsIpPosition, type PlacedBlock } from './ip.ts';
export * from './names.ts';
export * from './policy.ts';
export * from './principals.ts';
export * from './readings.ts';
export * from './requests.ts';
export * from './resources.ts';
export * from './statements.ts';
