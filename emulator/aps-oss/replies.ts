/**
 * How the APS dialect answers: JSON bodies for the OSS API and the token endpoint, in the two
 * documented error shapes (aps-oss.md §4): `{"reason": ...}` for OSS errors and
 * `{developerMessage, moreInfo, errorCode}` for the gateway's authentication errors; S3-style
 * XML errors for the signed transfer URLs, which stand in for Amazon S3.
 */
import type { ServerResponse } from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';
import type { Exchange } from '../types.ts';

/** Where the gateway's error bodies point (aps-oss.md §3 RECOMMENDATION). */
export const AUTH_MORE_INFO = 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/';

/** The message of an invalid, expired or missing token; `@aps_sdk/oss` looks for it to refresh a token (aps-oss.md §3 [A17]). */
export const TOKEN_INVALID_MESSAGE = 'Access token provided is invalid or expired.';

/** The message of a token without the scope a route needs (aps-oss.md §3 [A13], AUTH-010). */
export const SCOPE_MISSING_MESSAGE = 'Token does not have the privilege for this request.';

function common(exchange: Exchange, status: number): ServerResponse {
  const { res } = exchange;
  res.statusCode = status;
  res.setHeader('x-ads-request-id', exchange.requestId);
  return res;
}

/** A JSON body (`application/json; charset=utf-8`, as the documented examples, aps-oss.md §4). */
export function sendJson(exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const res = common(exchange, status);
  const text = JSON.stringify(body);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(exchange.req.method === 'HEAD' ? undefined : text);
}

/** A response without a body (DELETE Bucket and DELETE Object answer 200 with none, aps-oss.md §1; 304). */
export function sendEmpty(exchange: Exchange, status: number, headers: Record<string, string> = {}): void {
  const res = common(exchange, status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-length', 0);
  res.end();
}

/** An OSS error: `{"reason": "..."}` (aps-oss.md §4 [A1][A3][A4]). */
export function sendReason(exchange: Exchange, status: number, reason: string, headers: Record<string, string> = {}): void {
  sendJson(exchange, status, { reason }, headers);
}

/** A gateway authentication error: `{developerMessage, moreInfo, errorCode}` (aps-oss.md §3, §4 [A13][A14]). */
export function sendAuthError(exchange: Exchange, status: number, errorCode: string, developerMessage: string): void {
  sendJson(exchange, status, { developerMessage, moreInfo: AUTH_MORE_INFO, errorCode });
}

const xml = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: true });

/** An S3-style XML error for the signed transfer URLs (`<Error><Code>…</Code><Message>…</Message></Error>`). */
export function sendS3Error(exchange: Exchange, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const res = common(exchange, status);
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${xml.build({ Error: { Code: code, Message: message, RequestId: exchange.requestId } }) as string}`;
  res.setHeader('content-type', 'application/xml');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(exchange.req.method === 'HEAD' ? undefined : text);
}
