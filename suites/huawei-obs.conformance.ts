import { conformanceSuite } from './harness.ts';

// Every OBS-* rule and the X-* rules for Huawei Cloud OBS, as the specs describe them.
await conformanceSuite('huawei-obs');
