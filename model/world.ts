import type { AliRequest, AliWorld } from './alibaba-oss/types.ts';
import type { ApsRequest, ApsWorld } from './aps-oss/types.ts';
import type { ObsRequest, ObsWorld } from './huawei-obs/types.ts';

/** A world: everything a target must hold before requests are sent (bucket, owner, policy). One variant per vendor. */
export type World = AliWorld | ApsWorld | ObsWorld;

/** A request to a prepared world. One variant per vendor, matching the world's. */
export type Request = AliRequest | ApsRequest | ObsRequest;

/** A world of one vendor. */
export type WorldOf<V extends World['vendor']> = Extract<World, { vendor: V }>;
