import * as fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import type { SourceAddressSpace } from '../../model/capabilities.ts';
import { ConformanceError } from '../../model/errors.ts';

/**
 * IPv4 and IPv6 addresses and CIDR blocks built around an address, so that whether the address
 * lies inside a block is known by construction (ALI-COND-IP). Boundary cases are built on
 * purpose: the address as the first or the last address of a block, or the address just before
 * or just after one.
 */

/** An address family. */
export type IpFamily = 'v4' | 'v6';

/** Where an address lies relative to a block, as built. */
export type IpPosition = 'first' | 'last' | 'interior' | 'before' | 'after' | 'elsewhere';

/** A CIDR block: its network address (as an integer) and prefix length. */
export interface Block {
  family: IpFamily;
  network: bigint;
  prefix: number;
}

const BITS: Record<IpFamily, number> = { v4: 32, v6: 128 };

function maxOf(family: IpFamily): bigint {
  return (1n << BigInt(BITS[family])) - 1n;
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(BITS[family] - prefix)) - 1n;
}

/** The integer value of an address string. */
export function addressValue(address: string): { family: IpFamily; value: bigint } {
  const parsed = ipaddr.parse(address);
  const family: IpFamily = parsed.kind() === 'ipv4' ? 'v4' : 'v6';
  let value = 0n;
  for (const byte of parsed.toByteArray()) value = (value << 8n) | BigInt(byte);
  return { family, value };
}

/** The canonical text of an address (dotted quad, or RFC 5952 compressed IPv6). */
export function formatAddress(family: IpFamily, value: bigint): string {
  const bytes: number[] = [];
  let rest = value;
  for (let i = 0; i < BITS[family] / 8; i++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The text of a block as a policy writes it: `a.b.c.d/p`, or the bare address for a one-address block when `bare`. */
export function formatBlock(block: Block, bare = false): string {
  const address = formatAddress(block.family, block.network);
  return bare && block.prefix === BITS[block.family] ? address : `${address}/${block.prefix}`;
}

/** The first and the last address of a block. */
export function blockRange(block: Block): { first: bigint; last: bigint } {
  return { first: block.network, last: block.network | hostMask(block.family, block.prefix) };
}

function trailing(value: bigint, bit: 0n | 1n, limit: number): number {
  let n = 0;
  while (n < limit && ((value >> BigInt(n)) & 1n) === bit) n++;
  return n;
}

/**
 * A source address. Its low bits are often a run of zeros or ones, so that blocks can be built
 * with the address exactly at their first or last position. With `space` (a target that cannot
 * send from any address), the address lies in one of its blocks (`addressIn`).
 */
export function sourceAddress(family?: IpFamily, space?: SourceAddressSpace): fc.Arbitrary<string> {
  if (space !== undefined) return addressIn(space, family);
  const families: IpFamily[] = family ? [family] : ['v4', 'v6'];
  return fc
    .record({
      family: fc.constantFrom(...families),
      raw: fc.bigInt({ min: 0n, max: maxOf('v6') }),
      run: fc.constantFrom('none', 'zeros', 'ones'),
      runLength: fc.integer({ min: 1, max: 24 }),
    })
    .map(({ family: f, raw, run, runLength }) => {
      let value = raw & maxOf(f);
      // Keep v4 addresses off 0.0.0.0/8, which is not a usable source address.
      if (f === 'v4' && value >> 24n === 0n) value |= 1n << 24n;
      const mask = (1n << BigInt(runLength)) - 1n;
      if (run === 'zeros') value &= ~mask;
      if (run === 'ones') value |= mask;
      return formatAddress(f, value & maxOf(f));
    });
}

/** The block of a CIDR text (`127.0.0.0/8`, `2001:db8::/32`, or a bare address: a one-address block), host bits cleared. */
export function parseBlock(cidr: string): Block {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = cidr.includes('/') ? ipaddr.parseCIDR(cidr) : [ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128];
  } catch (error) {
    throw new ConformanceError('CONFORMANCE_INPUT', `source address space: \`${cidr}\` is not a CIDR block`, { cause: error });
  }
  const [address, prefix] = parsed;
  const { family, value } = addressValue(address.toString());
  return { family, network: value & ~hostMask(family, prefix) & maxOf(family), prefix };
}

/** The blocks of a target's source address space, v4 first; each must be of its family. */
export function spaceBlocks(space: SourceAddressSpace): Block[] {
  const blocks: Block[] = [];
  for (const family of ['v4', 'v6'] as const) {
    const cidr = space[family];
    if (cidr === undefined) continue;
    const block = parseBlock(cidr);
    if (block.family !== family) throw new ConformanceError('CONFORMANCE_INPUT', `source address space: \`${cidr}\` is not an ${family === 'v4' ? 'IPv4' : 'IPv6'} block`);
    blocks.push(block);
  }
  return blocks;
}

/** The address families a request can come from: both without a space, else those the space has a block for. */
export function spaceFamilies(space: SourceAddressSpace | undefined): IpFamily[] {
  return space === undefined ? ['v4', 'v6'] : spaceBlocks(space).map((b) => b.family);
}

/**
 * An address in one of the blocks of `space` (of `family` when given), its host bits often a run
 * of zeros or ones as `sourceAddress` builds them. In an IPv4 block of more than two addresses,
 * the block's own first and last addresses (network and broadcast) are not usable source
 * addresses (a socket bound to 127.255.255.255 is seen as 127.0.0.1), so the next one in is used.
 */
export function addressIn(space: SourceAddressSpace, family?: IpFamily): fc.Arbitrary<string> {
  const blocks = spaceBlocks(space).filter((b) => family === undefined || b.family === family);
  if (blocks.length === 0) throw new Error(`the source address space ${JSON.stringify(space)} has no ${family ? `${family} ` : ''}block`);
  return fc
    .record({
      block: fc.constantFrom(...blocks),
      raw: fc.bigInt({ min: 0n, max: maxOf('v6') }),
      run: fc.constantFrom('none', 'zeros', 'ones'),
      runLength: fc.integer({ min: 1, max: 24 }),
    })
    .map(({ block, raw, run, runLength }) => {
      const hostBits = BITS[block.family] - block.prefix;
      const host = hostMask(block.family, block.prefix);
      let value = block.network | (raw & host);
      // Keep v4 addresses off 0.0.0.0/8 where the block allows it, as `sourceAddress` does.
      if (block.family === 'v4' && block.prefix < 8 && value >> 24n === 0n) value |= 1n << 24n;
      const mask = (1n << BigInt(Math.min(runLength, hostBits))) - 1n;
      if (run === 'zeros') value &= ~mask;
      if (run === 'ones') value |= mask;
      if (block.family === 'v4' && hostBits >= 2) {
        if ((value & host) === 0n) value |= 1n;
        if ((value & host) === host) value &= ~1n;
      }
      return formatAddress(block.family, value);
    });
}

/**
 * A block that contains `address`, and where in it the address lies. The position is chosen
 * first among those the address allows (first needs trailing zero bits, last trailing one
 * bits), so that boundary cases are common.
 */
export function blockContaining(address: string): fc.Arbitrary<{ block: Block; position: IpPosition }> {
  const { family, value } = addressValue(address);
  const bits = BITS[family];
  const shortest = family === 'v4' ? 8 : 16;
  const make = (prefix: number) => {
    const network = value & ~hostMask(family, prefix) & maxOf(family);
    const block: Block = { family, network, prefix };
    const { first, last } = blockRange(block);
    const position: IpPosition = value === first ? 'first' : value === last ? 'last' : 'interior';
    return { block, position };
  };
  const zeros = Math.min(trailing(value, 0n, bits), bits - shortest);
  const ones = Math.min(trailing(value, 1n, bits), bits - shortest);
  const options: fc.Arbitrary<{ block: Block; position: IpPosition }>[] = [fc.integer({ min: shortest, max: bits }).map(make)];
  // The address is the first of every block whose host bits are all among its trailing zeros.
  if (zeros >= 1) options.push(fc.integer({ min: bits - zeros, max: bits - 1 }).map(make));
  if (ones >= 1) options.push(fc.integer({ min: bits - ones, max: bits - 1 }).map(make));
  return fc.oneof(...options);
}

/**
 * A block that does not contain `address`: one that starts just after it, one that ends just
 * before it (when the address's neighbours allow), or one that differs from it inside the prefix.
 */
export function blockExcluding(address: string): fc.Arbitrary<{ block: Block; position: IpPosition }> {
  const { family, value } = addressValue(address);
  const bits = BITS[family];
  const options: fc.Arbitrary<{ block: Block; position: IpPosition }>[] = [];
  if (value < maxOf(family)) {
    // The block starts at address + 1, so the address is the one just before its first address.
    const next = value + 1n;
    const room = trailing(next, 0n, bits);
    options.push(
      fc.integer({ min: Math.max(1, bits - room), max: bits }).map((prefix) => ({
        block: { family, network: next, prefix },
        position: 'before' as const,
      })),
    );
  }
  if (value > 0n) {
    // The block ends at address - 1, so the address is the one just after its last address.
    const previous = value - 1n;
    const room = trailing(previous, 1n, bits);
    options.push(
      fc.integer({ min: Math.max(1, bits - room), max: bits }).map((prefix) => ({
        block: { family, network: previous & ~hostMask(family, prefix) & maxOf(family), prefix },
        position: 'after' as const,
      })),
    );
  }
  options.push(
    fc.integer({ min: 1, max: bits }).map((prefix) => {
      // Flip the last bit of the prefix: the address and the block differ inside the prefix.
      const flipped = value ^ (1n << BigInt(bits - prefix));
      return { block: { family, network: flipped & ~hostMask(family, prefix) & maxOf(family), prefix }, position: 'elsewhere' as const };
    }),
  );
  return fc.oneof(...options);
}

/** Whether `value` lies in `block`: used only by this module's own tests and generators' self-checks. */
export function blockHas(block: Block, address: string): boolean {
  const { family, value } = addressValue(address);
  if (family !== block.family) return false;
  const { first, last } = blockRange(block);
  return value >= first && value <= last;
}
