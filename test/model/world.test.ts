import { describe, expect, it } from 'vitest';
import { isConformanceError } from '../../model/errors.ts';
import { worldPolicyText } from '../../model/world.ts';

/** The policy text a world submits, shared by the reference adapter and the live clients. */
describe('worldPolicyText', () => {
  const invalidUtf8 = new Uint8Array([0x7b, 0xff, 0x7d]);

  it('gives none for none, a string verbatim, and any other value as compact JSON', () => {
    expect(worldPolicyText(undefined)).toBeUndefined();
    expect(worldPolicyText(' {"Version": "1"} ')).toBe(' {"Version": "1"} ');
    expect(worldPolicyText({ Version: '1', Statement: [] })).toBe('{"Version":"1","Statement":[]}');
  });

  it('keeps bytes as bytes, and with decodeUtf8 gives valid UTF-8 as a string but invalid UTF-8 still as bytes', () => {
    const utf8 = new TextEncoder().encode('{"Version":"1"}');
    expect(worldPolicyText(utf8)).toBe(utf8);
    expect(worldPolicyText(utf8, { decodeUtf8: true })).toBe('{"Version":"1"}');
    expect(worldPolicyText(invalidUtf8, { decodeUtf8: true })).toBe(invalidUtf8);
  });

  it('refuses a value without JSON text with CONFORMANCE_INPUT', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const bad of [() => 1, Symbol('s'), cyclic]) {
      let caught: unknown;
      try {
        worldPolicyText(bad);
      } catch (error) {
        caught = error;
      }
      expect(isConformanceError(caught) && caught.code === 'CONFORMANCE_INPUT', String(bad)).toBe(true);
    }
  });
});
