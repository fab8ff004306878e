import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, createAdapter, isAdapterPath } from '../../adapters/registry.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('ADAPTERS', () => {
  it('registers the reference and the http adapters', () => {
    expect([...ADAPTERS.keys()]).toEqual(['reference', 'http']);
  });
});

describe('createAdapter by name', () => {
  it('creates the reference adapter', async () => {
    const adapter = await createAdapter('reference');
    expect(adapter.name).toBe('reference');
    expect(adapter.capabilities.vendors).toEqual(['alibaba-oss', 'huawei-obs', 'aps-oss']);
  });

  it('hands options to the factory', async () => {
    const faulty = await createAdapter('reference', { aliSemantics: { normalizePrincipals: (list: readonly string[]) => list } });
    const prepared = await faulty.prepare({
      vendor: 'alibaba-oss',
      bucket: { name: 'b', owner: 'o' },
      policy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [], Resource: 'acs:oss:*:*:b/*' }] },
    });
    if (prepared.kind !== 'ready') throw new Error(`expected a ready world, got ${prepared.kind}`);
    // With `[]` read as no principal (the override), the anonymous read that `[]` grants is denied.
    expect(await prepared.observe({ principal: 'anonymous', action: 'oss:GetObject', object: 'x' })).toMatchObject({ kind: 'decided', decision: 'deny' });
    const documented = await createAdapter('reference');
    const ready = await documented.prepare({
      vendor: 'alibaba-oss',
      bucket: { name: 'b', owner: 'o' },
      policy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Principal: [], Resource: 'acs:oss:*:*:b/*' }] },
    });
    if (ready.kind !== 'ready') throw new Error(`expected a ready world, got ${ready.kind}`);
    expect(await ready.observe({ principal: 'anonymous', action: 'oss:GetObject', object: 'x' })).toMatchObject({ kind: 'decided', decision: 'allow' });
  });

  it('refuses an unknown name and lists the valid ones', async () => {
    await expect(createAdapter('nope')).rejects.toMatchObject({
      name: 'ConformanceError',
      code: 'CONFORMANCE_UNKNOWN_ADAPTER',
      message: 'unknown target `nope`; valid targets: reference, http',
    });
  });

  it('does not take inherited object members for names', async () => {
    await expect(createAdapter('constructor')).rejects.toMatchObject({ code: 'CONFORMANCE_UNKNOWN_ADAPTER' });
  });
});

describe('createAdapter by module path', () => {
  it('recognises paths', () => {
    expect(['./x', '../x', '/abs/x', 'my-adapter.ts', 'my-adapter.js'].map(isAdapterPath)).toEqual([true, true, true, true, true]);
    expect(['reference', 'http-oss', 'ts'].map(isAdapterPath)).toEqual([false, false, false]);
  });

  it('loads the default-exported factory of an absolute path, with options', async () => {
    const adapter = await createAdapter(fixture('echo-adapter.ts'), { name: 'from-options' });
    expect(adapter.name).toBe('from-options');
  });

  it('loads a path relative to the working directory', async () => {
    const rel = `./${relative(process.cwd(), fixture('echo-adapter.ts'))}`;
    expect((await createAdapter(rel)).name).toBe('echo');
  });

  it('reports a module that cannot be loaded', async () => {
    await expect(createAdapter('./does/not/exist.ts')).rejects.toMatchObject({ code: 'CONFORMANCE_ADAPTER_LOAD' });
    await expect(createAdapter('./does/not/exist.ts')).rejects.toThrow(/^cannot load adapter module `\.\/does\/not\/exist\.ts`: /);
  });

  it('reports a module without a default factory', async () => {
    const path = fixture('no-default-adapter.ts');
    await expect(createAdapter(path)).rejects.toMatchObject({
      code: 'CONFORMANCE_ADAPTER_LOAD',
      message: `adapter module \`${path}\` must default-export an adapter factory function`,
    });
  });

  it('reports a factory that returns something other than an adapter', async () => {
    await expect(createAdapter(fixture('not-an-adapter.ts'))).rejects.toMatchObject({ code: 'CONFORMANCE_ADAPTER_LOAD' });
    await expect(createAdapter(fixture('not-an-adapter.ts'))).rejects.toThrow(/did not return an adapter/);
  });

  it('reports a factory that throws', async () => {
    await expect(createAdapter(fixture('throwing-adapter.ts'))).rejects.toMatchObject({ code: 'CONFORMANCE_ADAPTER_LOAD' });
    await expect(createAdapter(fixture('throwing-adapter.ts'))).rejects.toThrow(/failed to start: endpoint option missing$/);
  });
});
