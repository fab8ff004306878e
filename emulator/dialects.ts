/** The registry of dialects: one wire protocol per vendor, loaded when first served. */
import type { Vendor } from '../model/vendors.ts';
import type { DialectFactory } from './types.ts';

const DIALECTS: Readonly<Record<Vendor, () => Promise<DialectFactory>>> = {
  'alibaba-oss': async () => (await import('./alibaba-oss/index.ts')).createAliDialect,
  'huawei-obs': async () => (await import('./huawei-obs/index.ts')).createObsDialect,
  'aps-oss': async () => (await import('./aps-oss/index.ts')).createApsDialect,
};

/** The dialect factory of `vendor`. */
export function dialectFactory(vendor: Vendor): Promise<DialectFactory> {
  return DIALECTS[vendor]();
}
