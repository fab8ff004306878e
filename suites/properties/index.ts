import { ALIBABA_PROPERTIES } from './alibaba-oss/index.ts';
import { APS_PROPERTIES } from './aps-oss/index.ts';
import type { PropertyDefinition } from './types.ts';

/** Every property the spec files may name, by name. */
export const PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map(
  [...ALIBABA_PROPERTIES, ...APS_PROPERTIES].map((p) => [p.name, p] as const),
);
