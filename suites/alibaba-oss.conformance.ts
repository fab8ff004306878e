import { conformanceSuite } from './harness.ts';

// Every ALI-* rule and the X-* rules for Alibaba Cloud OSS, as the specs describe them.
await conformanceSuite('alibaba-oss');
