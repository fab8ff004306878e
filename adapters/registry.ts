/**
 * The adapter registry: target names to factories, and loading of third-party adapters from a
 * module path (its default export must be an AdapterFactory).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConformanceError, isConformanceError } from '../model/errors.ts';
import { createHttpAdapter } from './http/http-adapter.ts';
import { createReferenceAdapter, type ReferenceAdapterOptions } from './reference/reference-adapter.ts';
import type { Adapter, AdapterFactory, AdapterOptions } from './types.ts';

/** The built-in targets, by name. */
export const ADAPTERS: ReadonlyMap<string, AdapterFactory> = new Map<string, AdapterFactory>([
  ['reference', (options?: AdapterOptions) => createReferenceAdapter(options as ReferenceAdapterOptions | undefined)],
  ['http', (options?: AdapterOptions) => createHttpAdapter(options)],
]);

/** Whether a target name is a module path rather than a registered name. */
export function isAdapterPath(name: string): boolean {
  return name.startsWith('.') || name.startsWith('/') || name.endsWith('.ts') || name.endsWith('.js');
}

function looksLikeAdapter(value: unknown): value is Adapter {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Partial<Record<keyof Adapter, unknown>>;
  return typeof a.name === 'string' && typeof a.prepare === 'function' && typeof a.close === 'function'
    && typeof a.capabilities === 'object' && a.capabilities !== null;
}

async function loadFactory(path: string): Promise<AdapterFactory> {
  const url = pathToFileURL(isAbsolute(path) ? path : resolve(process.cwd(), path)).href;
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_ADAPTER_LOAD', `cannot load adapter module \`${path}\`: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof module.default !== 'function') {
    throw new ConformanceError('CONFORMANCE_ADAPTER_LOAD', `adapter module \`${path}\` must default-export an adapter factory function`);
  }
  return module.default as AdapterFactory;
}

/**
 * Creates the adapter of a target: a registered name, or a module path whose default export is
 * an AdapterFactory. An unknown name lists the valid ones.
 */
export async function createAdapter(name: string, options?: AdapterOptions): Promise<Adapter> {
  let factory: AdapterFactory;
  if (isAdapterPath(name)) {
    factory = await loadFactory(name);
  } else {
    const known = ADAPTERS.get(name);
    if (known === undefined) {
      throw new ConformanceError('CONFORMANCE_UNKNOWN_ADAPTER', `unknown target \`${name}\`; valid targets: ${[...ADAPTERS.keys()].join(', ')}`);
    }
    factory = known;
  }
  let adapter: unknown;
  try {
    adapter = await factory(options);
  } catch (error) {
    // A factory's own configuration error keeps its code; anything else is a failure to load.
    if (isConformanceError(error)) throw error;
    throw new ConformanceError('CONFORMANCE_ADAPTER_LOAD', `adapter \`${name}\` failed to start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!looksLikeAdapter(adapter)) {
    throw new ConformanceError('CONFORMANCE_ADAPTER_LOAD', `adapter \`${name}\` did not return an adapter (name, capabilities, prepare, close)`);
  }
  return adapter;
}
