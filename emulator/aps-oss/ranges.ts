/**
 * `Range` on the signed download URL, as S3 answers it (RFC 9110 §14): one byte range, its end
 * clamped to the object. `@aps_sdk/oss` asks for `bytes=0-<size>`, one byte past the end
 * (aps-oss.md §5.4: "Off by one … The emulator must clamp range ends"), and loops forever if the
 * GET fails, so a satisfiable start always gets the bytes.
 */

/** What to send for a `Range` header on an object of `size` bytes. */
export type RangeAnswer =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * Interprets `header` against `size`. A header that does not parse, or asks for several ranges,
 * is ignored (the whole object, 200), as RFC 9110 §14.2 allows; an end past the object is
 * clamped to its last byte; a start at or past the end is unsatisfiable (416).
 */
export function answerRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'full' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (match === null) return { kind: 'full' };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // A suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  // An end before the start makes the header invalid, and an invalid header is ignored.
  if (end < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  // aps-oss.md §5.4, §6 item 4: "Clamp out-of-range `Range` ends."
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}
