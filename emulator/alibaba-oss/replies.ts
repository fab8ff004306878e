/**
 * Responses of the OSS dialect: the common headers every response carries, XML bodies, and the
 * error format of vendor notes alibaba-oss.md §4.2 (`<Error>` with Code, Message, RequestId,
 * HostId and EC; `x-oss-request-id`, `x-oss-ec`), with the HEAD variant of §5.6 (no body, the
 * error XML base64-encoded in `x-oss-err`).
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Exchange } from '../types.ts';

const builder = new XMLBuilder({});
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An XML document from a plain object (one root key), with the XML declaration. */
export function xmlDocument(root: Record<string, unknown>): string {
  return XML_DECLARATION + (builder.build(root) as string);
}

/** A refusal in the OSS error format; handlers throw it, the dialect renders it. */
export class OssFailure extends Error {
  override name = 'OssFailure';
  readonly status: number;
  readonly code: string;
  /** The EC of the notes, when they give one (§3, §4.2); absent otherwise. */
  readonly ec: string | undefined;
  /** Extra elements after EC, in order (`StringToSign`, `BucketName`, `ArgumentName`...). */
  readonly extra: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, options: { ec?: string | undefined; extra?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.ec = options.ec;
    this.extra = options.extra ?? {};
  }
}

/** Sends a response with the headers every OSS response carries. `body` is omitted for HEAD. */
export function send(exchange: Exchange, status: number, headers: Record<string, string | number>, body: string | Buffer = ''): void {
  const res = exchange.res;
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.statusCode = status;
  // §4.2: every response carries x-oss-request-id.
  res.setHeader('x-oss-request-id', exchange.requestId);
  res.setHeader('server', 'AliyunOSS');
  res.setHeader('date', exchange.receivedAt.toUTCString());
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (!res.hasHeader('content-length')) res.setHeader('content-length', payload.length);
  if (exchange.req.method === 'HEAD') res.end();
  else res.end(payload);
}

/** The error document of a failure (§4.2). */
export function errorXml(exchange: Exchange, failure: OssFailure, hostId: string): string {
  const error: Record<string, string> = { Code: failure.code, Message: failure.message, RequestId: exchange.requestId, HostId: hostId };
  if (failure.ec !== undefined) error['EC'] = failure.ec;
  for (const [name, value] of Object.entries(failure.extra)) error[name] = value;
  if (failure.ec !== undefined) error['RecommendDoc'] = `https://api.aliyun.com/troubleshoot?q=${failure.ec}`;
  return xmlDocument({ Error: error });
}

/**
 * Sends a failure: `application/xml` error body, `x-oss-ec` when there is an EC; a HEAD response
 * has no body and carries the XML base64-encoded in `x-oss-err` (§5.6: ali-oss reads it to name
 * the error instead of `UnknownError`).
 */
export function sendFailure(exchange: Exchange, failure: OssFailure, hostId: string): void {
  const xml = errorXml(exchange, failure, hostId);
  const headers: Record<string, string | number> = { 'content-type': 'application/xml' };
  if (failure.ec !== undefined) headers['x-oss-ec'] = failure.ec;
  if (exchange.req.method === 'HEAD') {
    headers['x-oss-err'] = Buffer.from(xml, 'utf8').toString('base64');
    headers['content-length'] = 0;
  }
  send(exchange, failure.status, headers, xml);
}
