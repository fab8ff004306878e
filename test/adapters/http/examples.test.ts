/** Every example target file in examples/targets/ is a valid target file, and names its secrets only by variable. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTargetConfig } from '../../../adapters/http/config.ts';
import { PROJECT_ROOT } from '../../../suites/settings.ts';

const DIR = join(PROJECT_ROOT, 'examples', 'targets');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

describe('example target files', () => {
  it('cover each vendor, for a real endpoint and for the emulator', () => {
    expect(FILES.sort()).toEqual(['alibaba-oss.yaml', 'aps-oss.yaml', 'emulator-alibaba-oss.yaml', 'emulator-aps-oss.yaml', 'emulator-huawei-obs.yaml', 'huawei-obs.yaml']);
  });

  it.each(FILES)('%s is valid, and every secret variable of an emulator file is in emulator.env', (file) => {
    const config = loadTargetConfig(join(DIR, file));
    const names = [config.owner, ...config.others].flatMap((i) => [i.accessKeySecretEnv, i.securityTokenEnv, i.clientSecretEnv]).filter((n): n is string => n !== undefined);
    expect(names.length).toBeGreaterThan(0);
    if (file.startsWith('emulator-')) {
      const env = readFileSync(join(DIR, 'emulator.env'), 'utf8');
      for (const name of names) expect(env).toMatch(new RegExp(`^${name}=.+$`, 'm'));
      expect(config.sourceIp).toBe('loopback');
    } else {
      expect(config.endpoint).toMatch(/^https:\/\//);
    }
  });
});
