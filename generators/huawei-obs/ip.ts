import * as fc from 'fast-check';
import type { SourceAddressSpace } from '../../model/capabilities.ts';
import { addressIn, addressValue, blockRange, formatAddress, type Block, type IpFamily } from '../alibaba-oss/ip.ts';

export { spaceFamilies } from '../alibaba-oss/ip.ts';

/**
 * CIDR blocks built around a source address for IpAddress/NotIpAddress on SourceIp (O1: CIDR per
 * RFC 4632, or a single address; v4 and v6), so that whether the address lies in a block is
 * known by construction. Boundaries on purpose: the address as the first or last address of a
 * block, or the address just before or just after one. The address arithmetic is the Alibaba
 * generators' (`generators/alibaba-oss/ip.ts`), which is not vendor-specific.
 */

/** Where the address lies relative to the block that decides, as the distributions count it. */
export const OBS_IP_POSITIONS = ['first', 'last', 'inside', 'before', 'after'] as const;
/** One position; `elsewhere` is a block that differs from the address inside its prefix (padding only). */
export type ObsIpPosition = (typeof OBS_IP_POSITIONS)[number] | 'elsewhere';

/** A block and where the address lies relative to it. */
export interface PlacedBlock {
  block: Block;
  position: ObsIpPosition;
}

const BITS: Record<IpFamily, number> = { v4: 32, v6: 128 };

/**
 * A source address a client can have: IPv4 unicast (first octet 1 to 223), IPv6 global unicast
 * (2000::/3). Its low bits are often a run of zeros or ones, so that blocks can be built with the
 * address exactly at their first or last position. With `space` (a target that cannot send from
 * any address), an address in one of its blocks, built the same way.
 */
export function obsSourceAddress(family?: IpFamily, space?: SourceAddressSpace): fc.Arbitrary<string> {
  if (space !== undefined) return addressIn(space, family);
  return fc
    .record({
      family: family ? fc.constant(family) : fc.constantFrom<IpFamily>('v4', 'v6'),
      raw: fc.bigInt({ min: 0n, max: all('v6') }),
      top: fc.integer({ min: 1, max: 223 }),
      run: fc.constantFrom('none', 'zeros', 'ones'),
      runLength: fc.integer({ min: 1, max: 24 }),
    })
    .map(({ family: f, raw, top, run, runLength }) => {
      let value: bigint;
      if (f === 'v4') value = (BigInt(top) << 24n) | (raw & 0xffffffn);
      else value = (1n << 125n) | (raw & ((1n << 125n) - 1n));
      const mask = (1n << BigInt(runLength)) - 1n;
      if (run === 'zeros') value &= ~mask;
      if (run === 'ones') value |= mask;
      return formatAddress(f, value);
    });
}

function all(family: IpFamily): bigint {
  return (1n << BigInt(BITS[family])) - 1n;
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(BITS[family] - prefix)) - 1n;
}

function trailing(value: bigint, bit: 0n | 1n, limit: number): number {
  let n = 0;
  while (n < limit && ((value >> BigInt(n)) & 1n) === bit) n++;
  return n;
}

/**
 * A block that contains `address`: any prefix length (the address then mostly inside), or one
 * whose host bits are all among the address's trailing zeros (it is the first address) or ones
 * (the last), so that boundaries are common.
 */
export function blockContaining(address: string): fc.Arbitrary<PlacedBlock> {
  const { family, value } = addressValue(address);
  const bits = BITS[family];
  const shortest = family === 'v4' ? 8 : 16;
  const make = (prefix: number): PlacedBlock => {
    const block: Block = { family, network: value & ~hostMask(family, prefix) & all(family), prefix };
    const { first, last } = blockRange(block);
    return { block, position: value === first && first !== last ? 'first' : value === last && first !== last ? 'last' : 'inside' };
  };
  const options: fc.Arbitrary<PlacedBlock>[] = [fc.integer({ min: shortest, max: bits }).map(make)];
  const zeros = Math.min(trailing(value, 0n, bits), bits - shortest);
  const ones = Math.min(trailing(value, 1n, bits), bits - shortest);
  if (zeros >= 1) options.push(fc.integer({ min: bits - zeros, max: bits - 1 }).map(make));
  if (ones >= 1) options.push(fc.integer({ min: bits - ones, max: bits - 1 }).map(make));
  return fc.oneof(...options);
}

/**
 * A block that does not contain `address` and touches it: one that starts at the next address
 * (`before`: the address is just before it) or ends at the previous one (`after`).
 */
export function blockBeside(address: string): fc.Arbitrary<PlacedBlock> {
  const { family, value } = addressValue(address);
  const bits = BITS[family];
  const options: fc.Arbitrary<PlacedBlock>[] = [];
  if (value < all(family)) {
    const next = value + 1n;
    const room = trailing(next, 0n, bits);
    options.push(fc.integer({ min: Math.max(1, bits - room), max: bits }).map((prefix) => ({ block: { family, network: next, prefix }, position: 'before' as const })));
  }
  if (value > 0n) {
    const previous = value - 1n;
    const room = trailing(previous, 1n, bits);
    options.push(
      fc.integer({ min: Math.max(1, bits - room), max: bits }).map((prefix) => ({
        block: { family, network: previous & ~hostMask(family, prefix) & all(family), prefix },
        position: 'after' as const,
      })),
    );
  }
  return fc.oneof(...options);
}

/** A block that does not contain `address` because they differ inside the prefix (the last prefix bit flipped). */
export function blockElsewhere(address: string): fc.Arbitrary<PlacedBlock> {
  const { family, value } = addressValue(address);
  const bits = BITS[family];
  return fc.integer({ min: 1, max: bits }).map((prefix) => {
    const flipped = value ^ (1n << BigInt(bits - prefix));
    return { block: { family, network: flipped & ~hostMask(family, prefix) & all(family), prefix }, position: 'elsewhere' as const };
  });
}
