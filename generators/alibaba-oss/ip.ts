import * as fc from 'fast-check';
import ipaddr from 'ipaddr.js';

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
 * with the address exactly at their first or last position.
 */
export function sourceAddress(family?: IpFamily): fc.Arbitrary<string> {
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
