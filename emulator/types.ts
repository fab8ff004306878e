/**
 * The plug-in points of the emulator: a `Dialect` speaks one vendor's wire protocol over the
 * shared `node:http` plumbing of `server.ts`. The server owns sockets, body limits, request ids
 * and the last-resort error path; a dialect owns routing, signatures, state and its error format.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Vendor } from '../model/vendors.ts';
import type { EmulatorAccounts } from './accounts.ts';

/** The emulator-only request header that sets the source VPC of an Alibaba OSS request (`acs:SourceVpc`). Nothing else honours it. */
export const SOURCE_VPC_HEADER = 'x-bucket-conformance-source-vpc';

/**
 * The emulator-only request header that sets a request's source address, honoured only by an
 * emulator started with `trustSourceIpHeader` (`serve --trust-source-ip-header`), so that a test
 * harness can send from any v4 or v6 address. Without that option the source address is always
 * the socket's.
 */
export const SOURCE_IP_HEADER = 'x-bucket-conformance-source-ip';

/** One request as a dialect sees it. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request target as received: raw path (not decoded) and raw query string, `?` excluded. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** The peer's address as the socket reports it (`127.0.0.1`, `::1`), IPv4-mapped IPv6 unwrapped. */
  readonly sourceIp: string;
  /** A fresh id per request, for the vendor's request-id header and error bodies. */
  readonly requestId: string;
  /** The address the server listens on, `http://HOST:PORT`, for URLs that must point back at it. */
  readonly baseUrl: string;
  /** When the request arrived. */
  readonly receivedAt: Date;
  /** Reads the whole body; rejects with an `EmulatorFault` (`body-too-large`) past the server's limit. */
  body(): Promise<Buffer>;
}

/** Why the shared plumbing refused a request before or while the dialect handled it. */
export type FaultKind = 'body-too-large' | 'internal';

/** A refusal the shared plumbing raises; the dialect renders it in its own error format. */
export class EmulatorFault extends Error {
  override name = 'EmulatorFault';
  readonly kind: FaultKind;
  constructor(kind: FaultKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** What a dialect is built from. */
export interface DialectOptions {
  readonly accounts: EmulatorAccounts;
  /** The body limit in bytes the server enforces (for messages). */
  readonly maxBodyBytes: number;
  /** The clock; tests pass a fixed one. */
  readonly now: () => Date;
}

/** One vendor's wire protocol over the emulator's state. */
export interface Dialect {
  readonly vendor: Vendor;
  /** Handles one request and ends the response. Target behaviour (refusals, bad input) is a response, never a throw. */
  handle(exchange: Exchange): Promise<void>;
  /** Renders a fault of the shared plumbing (an oversized body, or a bug caught as a last resort) in the vendor's error format. */
  renderFault(exchange: Exchange, fault: EmulatorFault): void;
  /** A line for the `serve` banner after `listening on`: where the default keys are, which addressing to use. */
  describe?(baseUrl: string): string[];
}

/** Builds a dialect. */
export type DialectFactory = (options: DialectOptions) => Dialect;
