import * as fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { blockContaining, blockExcluding, formatBlock, sourceAddress, type IpFamily } from '../../generators/alibaba-oss/index.ts';
import { addressBigInt, blockBounds, ipIn } from './helpers.ts';

const RUN = { seed: 3_301, numRuns: 400 };

/** An address and a block built around it, as the policy writes it. */
function around(build: typeof blockContaining, family?: IpFamily) {
  return sourceAddress(family).chain((address) => fc.tuple(build(address), fc.boolean()).map(([{ block, position }, bare]) => ({ address, text: formatBlock(block, bare), position })));
}

describe('sourceAddress', () => {
  it('yields parseable canonical addresses, v4 outside 0.0.0.0/8', () => {
    fc.assert(
      fc.property(sourceAddress(), (a) => {
        const parsed = ipaddr.parse(a);
        expect(parsed.toString()).toBe(a);
        if (parsed.kind() === 'ipv4') expect(a.startsWith('0.')).toBe(false);
      }),
      RUN,
    );
  });

  it('honours the family and reaches both families when none is given', () => {
    fc.assert(fc.property(sourceAddress('v4'), (a) => ipaddr.IPv4.isValidFourPartDecimal(a)), RUN);
    fc.assert(fc.property(sourceAddress('v6'), (a) => ipaddr.parse(a).kind() === 'ipv6'), RUN);
    const kinds = new Set(fc.sample(sourceAddress(), { seed: 9, numRuns: 100 }).map((a) => ipaddr.parse(a).kind()));
    expect(kinds).toEqual(new Set(['ipv4', 'ipv6']));
  });
});

describe('blockContaining', () => {
  it('contains the address, at the position it reports', () => {
    fc.assert(
      fc.property(around(blockContaining), ({ address, text, position }) => {
        expect(ipIn(address, text)).toBe(true);
        const { first, last } = blockBounds(text);
        const a = addressBigInt(address);
        if (position === 'first') expect(a).toBe(first);
        else if (position === 'last') expect(a).toBe(last);
        else {
          expect(position).toBe('interior');
          expect(a > first && a < last).toBe(true);
        }
      }),
      RUN,
    );
  });

  it('writes aligned blocks (no host bits set) of prefix /8 or longer for v4, /16 or longer for v6', () => {
    fc.assert(
      fc.property(around(blockContaining), ({ text }) => {
        if (!text.includes('/')) return;
        const [addr, prefix] = ipaddr.parseCIDR(text);
        expect(addressBigInt(addr.toString())).toBe(blockBounds(text).first);
        expect(prefix).toBeGreaterThanOrEqual(addr.kind() === 'ipv4' ? 8 : 16);
      }),
      RUN,
    );
  });

  it('builds first, last and interior positions, in both families', () => {
    const seen = new Set(fc.sample(around(blockContaining), { seed: 11, numRuns: 400 }).map(({ address, position }) => `${address.includes(':') ? 'v6' : 'v4'}:${position}`));
    expect(seen).toEqual(new Set(['v4:first', 'v4:last', 'v4:interior', 'v6:first', 'v6:last', 'v6:interior']));
  });
});

describe('blockExcluding', () => {
  it('excludes the address, at the position it reports', () => {
    fc.assert(
      fc.property(around(blockExcluding), ({ address, text, position }) => {
        expect(ipIn(address, text)).toBe(false);
        const { first, last } = blockBounds(text);
        const a = addressBigInt(address);
        if (position === 'before') expect(a + 1n).toBe(first);
        else if (position === 'after') expect(a - 1n).toBe(last);
        else expect(position).toBe('elsewhere');
      }),
      RUN,
    );
  });

  it('writes aligned blocks of the address family', () => {
    fc.assert(
      fc.property(around(blockExcluding), ({ address, text }) => {
        const [addr] = ipaddr.parseCIDR(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
        expect(addr.kind()).toBe(ipaddr.parse(address).kind());
        expect(addressBigInt(addr.toString())).toBe(blockBounds(text).first);
      }),
      RUN,
    );
  });

  it('builds before, after and elsewhere positions', () => {
    const seen = new Set(fc.sample(around(blockExcluding), { seed: 12, numRuns: 300 }).map(({ position }) => position));
    expect(seen).toEqual(new Set(['before', 'after', 'elsewhere']));
  });

  it('handles the ends of the address space: no block before the last address or after the first', () => {
    for (const [address, missing] of [['255.255.255.255', 'before'], ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'before'], ['0.0.0.0', 'after'], ['::', 'after']] as const) {
      const built = fc.sample(blockExcluding(address), { seed: 13, numRuns: 100 });
      expect(built.some((b) => b.position === missing)).toBe(false);
      for (const { block } of built) expect(ipIn(address, formatBlock(block))).toBe(false);
    }
  });
});
