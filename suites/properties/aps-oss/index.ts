import type { PropertyDefinition } from '../types.ts';
import { accessValues, grantLimit } from './limits.ts';
import { matrixExhaustive, matrixGenerated } from './matrix.ts';
import { grantOrder } from './metamorphic.ts';
import { modelSequence } from './model.ts';

/** Every APS OSS property, as spec files name them. */
export const APS_PROPERTIES: readonly PropertyDefinition[] = [
  matrixExhaustive as PropertyDefinition,
  matrixGenerated as PropertyDefinition,
  modelSequence as PropertyDefinition,
  grantLimit as PropertyDefinition,
  accessValues as PropertyDefinition,
  grantOrder as PropertyDefinition,
];
