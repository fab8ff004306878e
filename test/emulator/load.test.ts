/**
 * The load test of issue #6, bounded and on loopback: 200 concurrent clients per vendor mixing
 * allowed, denied and malformed requests. No crash, no fault, no wrong answer, the emulator
 * still answers afterwards, and its heap is back near where it started. Speed is not asserted
 * here; `npm run bench` prints the requests per second.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { defaultAccounts } from '../../emulator/accounts.ts';
import { createApsDialect } from '../../emulator/aps-oss/index.ts';
import { startEmulator } from '../../emulator/server.ts';
import type { DialectFactory } from '../../emulator/types.ts';
import { VENDORS } from '../../model/vendors.ts';
import { runLoad } from '../../scripts/emulator-load.ts';

const CLIENTS = 200;
const REQUESTS_PER_CLIENT = 12;
/** Headroom for the heap after the load: the load creates no state, so what stays is noise. */
const HEAP_GROWTH_LIMIT = 16 * 1024 * 1024;

describe('emulator under load', () => {
  it.each(VENDORS)('%s: 200 concurrent clients, every answer as expected, heap back near its start', async (vendor) => {
    const result = await runLoad({ vendor, clients: CLIENTS, requestsPerClient: REQUESTS_PER_CLIENT });
    expect(result.requests).toBe(CLIENTS * REQUESTS_PER_CLIENT);
    expect(result.faults).toBe(0);
    expect(result.wrong).toEqual([]);
    expect(result.wrongCount).toBe(0);
    // The mix reached all three kinds.
    expect(result.byKind.allowed).toBeGreaterThan(0);
    expect(result.byKind.denied).toBeGreaterThan(0);
    expect(result.byKind.malformed).toBeGreaterThan(0);
    expect(result.byKind.allowed + result.byKind.denied + result.byKind.malformed).toBe(result.requests);
    expect(result.aliveAfter).toBe(true);
    expect(result.heapAfterBytes - result.heapBeforeBytes).toBeLessThan(HEAP_GROWTH_LIMIT);
  });

  it('catches an emulator that allows what it should deny', async () => {
    // A dialect that turns every 403 into a 200: the load's checks must see the wrong answers.
    const lenient: DialectFactory = (options) => {
      const inner = createApsDialect(options);
      return {
        ...inner,
        handle(exchange) {
          const res = exchange.res as ServerResponse & { writeHead: (status: number, ...rest: unknown[]) => ServerResponse };
          const writeHead = res.writeHead.bind(res);
          res.writeHead = (status: number, ...rest: unknown[]) => writeHead(status === 403 ? 200 : status, ...(rest as []));
          return inner.handle(exchange);
        },
      };
    };
    const emulator = await startEmulator({ vendor: 'aps-oss', accounts: defaultAccounts('aps-oss'), dialect: lenient });
    try {
      const result = await runLoad({ vendor: 'aps-oss', clients: 20, requestsPerClient: 8, emulator });
      expect(result.wrongCount).toBeGreaterThan(0);
      expect(result.wrong.some((w) => w.startsWith('denied stranger') && w.includes('status 200, expected 403'))).toBe(true);
    } finally {
      await emulator.close();
    }
  });
});
