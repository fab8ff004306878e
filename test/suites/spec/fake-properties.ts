import type { PropertyDefinition } from '../../../suites/properties/types.ts';

const noCases = (): never => {
  throw new Error('the loader tests never generate cases');
};

/** A property the loader tests name: one integer param (default 1), an `outcome` label and a `side` label. */
export const FAKE_PROPERTY: PropertyDefinition = {
  name: 'fake-property',
  vendor: 'alibaba-oss',
  description: 'A stand-in for the loader tests.',
  params: { type: 'object', additionalProperties: false, properties: { size: { type: 'integer', minimum: 0, default: 1 } } },
  labels: { outcome: ['allow', 'deny'], side: ['a', 'b'] },
  cases: noCases,
};

/** A property of another vendor, to check vendor filtering and the vendor of a property. */
export const FAKE_OBS_PROPERTY: PropertyDefinition = {
  name: 'fake-obs-property',
  vendor: 'huawei-obs',
  description: 'A stand-in for the loader tests, for Huawei Cloud OBS.',
  params: { type: 'object', properties: {} },
  labels: { outcome: ['allow', 'deny'] },
  cases: noCases,
};

/** A property of APS OSS, for rules of the third vendor. */
export const FAKE_APS_PROPERTY: PropertyDefinition = {
  name: 'fake-aps-property',
  vendor: 'aps-oss',
  description: 'A stand-in for the loader tests, for APS OSS.',
  params: { type: 'object', properties: {} },
  labels: { outcome: ['allow', 'deny'] },
  cases: noCases,
};

/** The properties map the loader tests pass. */
export const FAKE_PROPERTIES: ReadonlyMap<string, PropertyDefinition> = new Map([FAKE_PROPERTY, FAKE_OBS_PROPERTY, FAKE_APS_PROPERTY].map((p) => [p.name, p]));
