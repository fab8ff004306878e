/** Arbitraries for Alibaba Cloud OSS bucket-policy cases, built so that their outcome is known. */
export * from './actions.ts';
export * from './conditions.ts';
export * from './identities.ts';
export * from './ip.ts';
export * from './names.ts';
export * from './policy.ts';
export * from './principals.ts';
export * from './requests.ts';
export * from './resources.ts';
export * from './statements.ts';
export * from './strings.ts';
