/**
 * The `Range` header of a GetObject, read as OBS's "Downloading Objects" API (obs_04_0083, not in
 * the vendor notes' source table) describes it: `bytes=a-b`, `bytes=a-` and `bytes=a` (its
 * "Example 2: bytes=1024": "If only the start value is specified, the system obtains the object
 * content from the start value"), plus the suffix form `bytes=-n` of RFC 9110 §14.1.2; "If the
 * parameter value is invalid, the entire object is obtained". A range that starts past the end
 * is OBS's `InvalidRange`, 416 (error code table, O18).
 */

/** What a `Range` header asks of an object of `size` bytes. */
export type ByteRange =
  /** No usable range: send the whole object with 200. */
  | { kind: 'whole' }
  /** Bytes `start` to `end`, both included: send them with 206 and `Content-Range`. */
  | { kind: 'part'; start: number; end: number }
  /** Nothing of the object: 416 InvalidRange. */
  | { kind: 'unsatisfiable' };

// One byte-range-spec: `first-last`, `first-`, `-suffix`, or OBS's bare `first`; the unit is case-insensitive (RFC 9110 §14.1).
const RANGE = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*(?:(-)[ \t]*(\d*))?[ \t]*$/i;

/**
 * Reads a `Range` header against an object of `size` bytes. A header that is absent, not in
 * bytes, malformed, with `last` before `first`, or with several ranges (`bytes=0-1,4-5`: the
 * emulator sends no multipart/byteranges) is `whole`.
 */
export function byteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return { kind: 'whole' };
  const m = RANGE.exec(header);
  if (m === null) return { kind: 'whole' };
  const [, firstText = '', dash, lastText = ''] = m;
  if (firstText === '') {
    // `bytes=-n`: the last n bytes; `bytes=-` and `bytes=` are malformed.
    if (dash === undefined || lastText === '') return { kind: 'whole' };
    const suffix = Number(lastText);
    // RFC 9110 §14.1.2: a suffix of zero, or any suffix of an empty object, selects nothing.
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const first = Number(firstText);
  const last = lastText === '' ? Number.POSITIVE_INFINITY : Number(lastText);
  if (last < first) return { kind: 'whole' };
  // obs_04_0083: "Range value starts from 0, and the maximum value equals the object length minus 1"; a start past it is InvalidRange.
  if (first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start: first, end: Math.min(last, size - 1) };
}
