import { conformanceSuite } from './harness.ts';

// Every APS-* rule and the X-* rules for APS OSS, as the specs describe them.
await conformanceSuite('aps-oss');
